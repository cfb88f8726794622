"""`refresh-statistics`: compute the public statistics and the shared contacts now."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from registry.statistics import figures, insights, tally


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
