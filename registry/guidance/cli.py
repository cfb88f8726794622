"""`load-requirements FILE.json`: a country's visas and programmes, their papers and costs."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry.cli import _os_user
from registry.guidance import requirements
from registry.regulation.operations import RuleBroken


@click.command("load-requirements")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_requirements(path: Path) -> None:
    """Load a destination country's migration categories (see docs/requirements.md)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise click.ClickException(f"{path.name} is not a JSON document: {error}") from error
    if not isinstance(data, dict):
        raise click.ClickException(f"{path.name}: expected an object with country and categories")
    with Session(current_app.extensions["registry.engine"]) as session:
        try:
            counts = requirements.load(session, data, actor=f"cli:{_os_user()}")
        except RuleBroken as error:
            session.rollback()
            raise click.ClickException(f"{path.name}: {error}; nothing was loaded") from error
        session.commit()
    click.echo(
        f"{counts['categories']} categories; {counts['added']} rules added, "
        f"{counts['replaced']} replaced, {counts['unchanged']} unchanged."
    )
