from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry.accounts.service import ROLES, AccountError, create_user


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--authority", "authority_id", type=int, help="The regulator's authority id.")
@click.option("--organisation", default="", help="The NGO's organisation.")
@click.option("--country", default="", help="The NGO's country (ISO 3166-1 alpha-2).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email, role, authority_id, organisation, country, password_stdin):
    """Create an account (the password is asked for unless --password-stdin)."""
    if role == "regulator" and authority_id is None:
        raise click.UsageError("a regulator belongs to an authority: give --authority ID")
    if role == "ngo" and not organisation:
        raise click.UsageError("an NGO account belongs to an organisation: give --organisation "
                               "NAME")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with Session(current_app.extensions["registry.engine"]) as session:
        try:
            user = create_user(session, email=email, role=role, password=password,
                               authority_id=authority_id, organisation=organisation,
                               country=country)
        except AccountError as error:
            raise click.ClickException(str(error))
        from registry.audit.chain import append
        append(session, actor="cli", actor_id=None, action="user.create", entity="user_account",
               entity_id=user.id, agency_id=None, before={},
               after={"email": user.email, "role": user.role})
        session.commit()
        click.echo(f"Created {user.role} account {user.email} (id {user.id}).")
