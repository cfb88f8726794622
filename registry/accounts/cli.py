from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry.accounts.service import ROLES, AccountError, create_user
from registry.audit.chain import append
from registry.authorities.service import find


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option(
    "--authority",
    "authority_ref",
    metavar="ID-OR-CODE",
    help="The regulator's authority: its id or its code (see list-authorities).",
)
@click.option("--organisation", default="", help="The NGO's organisation.")
@click.option("--country", default="", help="The NGO's country (ISO 3166-1 alpha-2).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email, role, authority_ref, organisation, country, password_stdin):
    """Create an account (the password is asked for unless --password-stdin)."""
    if role == "regulator" and not authority_ref:
        raise click.UsageError(
            "a regulator belongs to an authority: give --authority ID-OR-CODE "
            "(flask list-authorities prints them)"
        )
    if role == "ngo" and not organisation:
        raise click.UsageError(
            "an NGO account belongs to an organisation: give --organisation NAME"
        )
    with Session(current_app.extensions["registry.engine"]) as session:
        authority_id = None
        if authority_ref:
            authority = find(session, authority_ref)
            if authority is None:
                raise click.UsageError(
                    f"no authority has the id or code {authority_ref!r}: "
                    "flask list-authorities prints them"
                )
            authority_id = authority.id
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = create_user(
                session,
                email=email,
                role=role,
                password=password,
                authority_id=authority_id,
                organisation=organisation,
                country=country,
            )
        except AccountError as error:
            raise click.ClickException(str(error)) from error
        append(
            session,
            actor="cli",
            actor_id=None,
            action="user.create",
            entity="user_account",
            entity_id=user.id,
            agency_id=None,
            before={},
            after={"email": user.email, "role": user.role},
        )
        session.commit()
        click.echo(f"Created {user.role} account {user.email} (id {user.id}).")
