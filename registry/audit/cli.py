"""`verify-audit` and `audit-head`: checking the chain, and the anchors operators keep of it."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry.audit.chain import Anchor, head, verify


def _anchor(_ctx, _param, values: tuple[str, ...]) -> list[Anchor]:
    try:
        return [Anchor.parse(value) for value in values]
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


@click.command("verify-audit")
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    callback=_anchor,
    metavar="SEQ:HASH",
    help="A head printed earlier by `audit-head` and kept outside the database; the "
    "chain must still hold it (repeatable).",
)
@with_appcontext
def verify_audit(anchors: list[Anchor]) -> None:
    """Check that no audit entry was changed, removed or inserted since it was written."""
    with Session(current_app.extensions["registry.engine"]) as session:
        count, problems = verify(session, anchors)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(
            f"the audit chain is broken ({len(problems)} problem(s) in {count} entries)"
        )
    held = f"; {len(anchors)} anchor(s) held" if anchors else ""
    click.echo(f"The audit chain is intact: {count} entries checked{held}.")


@click.command("audit-head")
@with_appcontext
def audit_head() -> None:
    """Print the chain's head (sequence, hash, time) to keep outside the database: a later
    `verify-audit --anchor SEQ:HASH` shows whether entries up to it were removed or rewritten."""
    with Session(current_app.extensions["registry.engine"]) as session:
        anchor, at = head(session)
    click.echo(f"{anchor}\t{at.isoformat() if at else '-'}")
