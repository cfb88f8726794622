from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry.opendata import dumps


@click.command("write-dump")
@with_appcontext
def write_dump_command() -> None:
    """Write today's open data dump (instance/data/registry-DATE.zip) now."""
    with Session(current_app.extensions["registry.engine"]) as session:
        path = dumps.write(session, dumps.folder_of(current_app))
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
