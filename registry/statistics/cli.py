"""`refresh-statistics`: compute the public statistics and the shared contacts now."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from registry.cli import _os_user
from registry.statistics import figures, insights, placements, tally


@click.command("refresh-statistics")
@with_appcontext
def refresh_statistics() -> None:
    """Compute the statistics now (the background worker does it every 15 minutes)."""
    engine = current_app.extensions["registry.engine"]
    started = time.perf_counter()
    tally.flush(engine)
    pruned = tally.prune(engine)
    data = figures.refresh(engine)
    insights.refresh_shared(engine)
    rows = sum(len(v) for k, v in data.items() if k != "on")
    click.echo(
        f"statistics computed in {time.perf_counter() - started:.1f} s: {rows} rows; "
        f"{pruned} searched names older than {tally.KEEP_DAYS} days deleted."
    )


@click.command("import-placements")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_placements(path: Path) -> None:
    """Import yearly placement returns from CSV (columns: licence_number, licence_country,
    year, destination, women, men, unspecified). Nothing is kept if any row is wrong."""
    with Session(current_app.extensions["registry.engine"]) as session:
        done, problems = placements.load_csv(session, path.read_bytes(), actor=f"cli:{_os_user()}")
        if problems:
            session.rollback()
            for problem in problems:
                click.echo(f"line {problem.line}: {problem.message}", err=True)
            raise click.ClickException(f"{len(problems)} row(s) refused; nothing was imported.")
        session.commit()
    click.echo(f"{done} return(s) recorded.")
