from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from registry.models import Authority


@click.command("list-authorities")
@with_appcontext
def list_authorities_command():
    """Print the authorities: id, code, country, name (the id or the code goes to
    `create-user --authority`)."""
    with Session(current_app.extensions["registry.engine"]) as session:
        rows = session.exec(select(Authority).order_by(Authority.country, Authority.name)).all()
    if not rows:
        click.echo("No authorities yet: an administrator adds them at /admin/authorities.")
        return
    click.echo(f"{'ID':>4}  {'CODE':<14} {'COUNTRY':<7}  NAME")
    for a in rows:
        click.echo(f"{a.id:>4}  {a.code or '-':<14} {a.country:<7}  {a.name}")
