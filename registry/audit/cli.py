from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry.audit.chain import verify


@click.command("verify-audit")
@with_appcontext
def verify_audit() -> None:
    """Check that no audit entry was changed, removed or inserted since it was written."""
    with Session(current_app.extensions["registry.engine"]) as session:
        count, problems = verify(session)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"the audit chain is broken ({len(problems)} problem(s) in "
                                   f"{count} entries)")
    click.echo(f"The audit chain is intact: {count} entries checked.")
