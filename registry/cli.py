"""Command-line tools: `flask --app registry <command>`."""

from __future__ import annotations

import csv
import getpass
import hashlib
import os
from io import BytesIO
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry import schema
from registry.alerts import phoenix
from registry.audit.chain import append, rekey
from registry.imports.apply import conflicts, import_rows
from registry.imports.csv_format import COLUMNS, AgencyRow, RowError, read_rows
from registry.reports.evidence import move_into_database
from registry.search import get_index
from registry.search.indexer import pending


def _engine():
    return current_app.extensions["registry.engine"]


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database schema or upgrade it to the newest revision."""
    schema.upgrade(_engine())
    click.echo("The database schema is up to date.")
    index = get_index()
    if index.stale:  # written by an older version: rebuild it from the records
        count = index.rebuild()
        index.stale = False
        click.echo(
            f"The search index was written by an older version; rebuilt it: {count} agencies."
        )
    _memory_advice()
    with Session(_engine()) as session:
        try:
            rekeyed = rekey(session)
            session.commit()
        except ValueError as error:
            session.rollback()
            click.echo(
                f"The audit log was written before it was keyed, and {error}. Find out "
                "what happened (verify-audit lists the problems) before it is keyed.",
                err=True,
            )
            rekeyed = None
    if rekeyed is not None:
        click.echo(
            f"The audit log is keyed now (REGISTRY_AUDIT_KEY or instance/audit_key): "
            f"rekeyed {rekeyed} entries, after checking them."
        )
    with Session(_engine()) as session:
        found = move_into_database(session, Path(current_app.instance_path) / "evidence")
    if found.moved:
        click.echo(
            f"Moved {found.moved} evidence files from this server's instance/evidence/ "
            "into the database."
        )
    if found.absent:
        click.echo(
            f"{found.absent} evidence files received by an older version are not on this "
            "server: run init-db on the server that received them.",
            err=True,
        )
    if found.differing:
        click.echo(
            f"{found.differing} evidence files in instance/evidence/ differ from what was "
            "received (their SHA-256 digests do not match): left where they are.",
            err=True,
        )


@click.command("reindex")
@with_appcontext
def reindex() -> None:
    """Rebuild the search index from the database."""
    from sqlmodel import func, select

    from registry.models import Agency

    with Session(_engine()) as session:
        total = session.exec(select(func.count()).select_from(Agency)).one()
    with click.progressbar(length=total, label="Indexing agencies") as bar:
        count = get_index().rebuild(progress=bar.update)
    click.echo(f"Indexed {count} agencies.")
    _memory_advice()


def _memory_advice() -> None:
    """Tell the operator when the database's memory cannot hold the search index."""
    advice = get_index().memory_advice()
    if advice:
        click.echo(advice, err=True)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return str(os.getuid())


def _audit_cli(session: Session, action: str, after: dict) -> None:
    """Writes from the command line are audited too, under the actor "cli"."""
    from registry.audit.chain import append

    append(
        session,
        actor="cli",
        actor_id=None,
        action=action,
        entity="agency",
        entity_id=None,
        agency_id=None,
        before={},
        after=after,
    )


def _index_outbox() -> None:
    with click.progressbar(length=pending(_engine()), label="Updating the search index") as bar:
        while True:
            done = get_index().drain(batch=2000, timeout=30.0)
            bar.update(done)
            if done == 0:
                break
    _memory_advice()


@click.command("import-agencies")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows and write the invalid ones to FILE.rejects.csv.",
)
def import_agencies(path: Path, skip_invalid: bool) -> None:
    """Import agencies and licences from a CSV file (see README for the columns)."""
    try:
        data = path.read_bytes()  # once: its rows, then its digest for the audit log
        rows = list(read_rows(BytesIO(data)))
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    valid = [r for r in rows if isinstance(r, AgencyRow)]
    invalid = [r for r in rows if isinstance(r, RowError)]
    with Session(_engine()) as session:
        refused = conflicts(session, valid)
    if refused:
        lines = {r.line for r in refused}
        valid = [r for r in valid if r.line not in lines]
        invalid = sorted(invalid + refused, key=lambda r: r.line)
    if invalid and not skip_invalid:
        for error in invalid:
            click.echo(str(error), err=True)
        raise click.ClickException(
            f"{len(invalid)} invalid row(s); nothing was imported. "
            "Fix them, or use --skip-invalid to import the valid rows."
        )
    if invalid:
        rejects = path.with_name(path.stem + ".rejects.csv")
        _write_rejects(rejects, invalid)
        click.echo(f"{len(invalid)} invalid row(s) written to {rejects}", err=True)
    actor = f"cli:{_os_user()}"
    with Session(_engine()) as session:
        with click.progressbar(length=len(valid), label="Importing agencies") as bar:
            importer = import_rows(session, valid, progress=bar.update, actor=actor)
        append(
            session,
            actor=actor,
            actor_id=None,
            action="import.agencies",
            entity="import",
            entity_id=None,
            agency_id=None,
            before={},
            after={
                "file": path.name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": len(valid),
                "created": importer.created,
                "changed": importer.changed - importer.created,
                "rejected": len(invalid),
            },
        )
        session.commit()
    _index_outbox()
    if importer.created:
        get_index().compact()
    click.echo(
        f"{len(valid)} row(s) read, {importer.created} new agencies, "
        f"{importer.changed - importer.created} changed, {len(invalid)} rejected."
    )
    if importer.created_ids:
        _phoenix_check(importer.created_ids)


def _phoenix_check(agency_ids: list[int]) -> None:
    """New agencies that resemble a banned or revoked one: the regulators concerned are told
    (their inbox; the worker sends the e-mail), as when a regulator records one by hand."""
    with Session(_engine()) as session:
        label = "Comparing the new agencies with banned and revoked ones"
        with click.progressbar(length=len(agency_ids), label=label) as bar:
            flagged = phoenix.flag_imported(session, agency_ids, progress=bar.update)
    if flagged:
        click.echo(
            f"{flagged} new agencies resemble a banned or revoked one: "
            "the regulators concerned were told."
        )


def _write_rejects(target: Path, errors: list[RowError]) -> None:
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "errors", *COLUMNS])
        for error in errors:
            writer.writerow(
                [
                    error.line,
                    "; ".join(error.messages),
                    *((error.raw.get(c) or "") for c in COLUMNS),
                ]
            )


@click.command("export-agencies")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_agencies(path: Path) -> None:
    """Export every agency, one row per licence, in the import format."""
    from registry.imports.export import export_rows

    with Session(_engine()) as session, path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        count = 0
        for row in export_rows(session):
            writer.writerow(row)
            count += 1
    click.echo(f"{count} row(s) written to {path}")


@click.command("demo-data")
@with_appcontext
def demo_data() -> None:
    """Load the fictional demo registry (idempotent)."""
    from registry.demo import load_demo

    with Session(_engine()) as session:
        created = load_demo(session)
        if created:
            _audit_cli(session, "demo.load", {"created": created})
        session.commit()
    _index_outbox()
    click.echo(
        f"Demo data loaded ({created} new agencies)." if created else "Demo data already present."
    )


def init_app(app: Flask) -> None:
    for command in (init_db, reindex, import_agencies, export_agencies, demo_data):
        app.cli.add_command(command)
