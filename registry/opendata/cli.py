from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry.opendata import dumps, lists
from registry.search import get_index


@click.command("write-dump")
@with_appcontext
def write_dump_command() -> None:
    """Write today's open data dump (instance/data/registry-DATE.zip) now."""
    with Session(current_app.extensions["registry.engine"]) as session:
        path = dumps.write(session, dumps.folder_of(current_app))
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@click.command("import-list")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The JSON mapping: the source and which column holds what (see docs/lists/).",
)
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="The date the source published this list (YYYY-MM-DD).",
)
@with_appcontext
def import_list_command(path: Path, mapping_path: Path, published) -> None:
    """Import another register's list: each entry attaches to the agency it names, waits for
    review when the match is uncertain, or becomes a record with its sanction."""
    from registry.search.indexer import pending

    try:
        mapping = lists.Mapping.read(mapping_path)
    except lists.MappingError as error:
        raise click.ClickException(str(error)) from error
    started = time.perf_counter()
    engine = current_app.extensions["registry.engine"]
    with current_app.test_request_context(), Session(engine) as session:
        try:
            outcome = lists.import_list(
                session, mapping=mapping, path=path, published_on=published.date()
            )
        except lists.MappingError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    get_index().drain(batch=2000)
    for problem in outcome.problems[:50]:
        click.echo(problem, err=True)
    if len(outcome.problems) > 50:
        click.echo(f"... and {len(outcome.problems) - 50} more", err=True)
    click.echo(
        f"{outcome.rows:,} rows: {outcome.attached:,} attached to an agency, "
        f"{outcome.created:,} new records, {outcome.uncertain:,} waiting for review, "
        f"{outcome.updated:,} updated, {outcome.unchanged:,} unchanged, "
        f"{outcome.lifted:,} lifted (dropped by the source), {outcome.skipped:,} left out; "
        f"{time.perf_counter() - started:.1f} s; {pending(engine):,} changes left to index"
    )
