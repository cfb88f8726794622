"""`flask --app registry run-indexer`: the background worker as a process of its own: it drains
the index outbox, then runs the other background jobs (mail, alerts) every turn.

With the Whoosh backend and several app servers or workers, run one of these per index folder
and start the web workers with REGISTRY_INDEXER_THREAD=0: it drains the outbox every interval,
so writes made by any worker are searchable within about a second. (Web workers still try to
index their own writes at once; when the indexer holds the lock they leave it to it.)
With the PostgreSQL backend it is optional: any worker may drain, and a row locked by one is
left to it.
"""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from registry.search import get_index
from registry.search.indexer import REPAIR_EVERY, run_jobs

log = logging.getLogger("registry.indexer")


@click.command("run-indexer")
@click.option(
    "--interval",
    type=float,
    default=0.5,
    show_default=True,
    help="Seconds between two looks at the outbox.",
)
@with_appcontext
def run_indexer(interval: float) -> None:
    """Keep the search index up to date until stopped (SIGTERM or Ctrl-C)."""
    from registry.ops.logs import configure

    configure()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    index = get_index()
    log.info("indexer started", extra={"backend": index.name, "interval_s": interval})
    turns = 0
    while not stop.is_set():
        try:
            if turns % REPAIR_EVERY == 0:
                index.repair()  # files missing or corrupt: rebuilt from the database
            turns += 1
            done = index.drain(batch=2000)
            if done:
                log.info("indexed", extra={"changes": done})
        except Exception:  # the rows stay in the outbox for the next turn
            log.exception("draining the index outbox failed")
        run_jobs(current_app.extensions.get("registry.jobs", {}))
        stop.wait(interval)
    log.info("indexer stopped")


def init_app(app) -> None:
    app.cli.add_command(run_indexer)
