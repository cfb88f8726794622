"""Figures nobody has: public statistics by country and year (`figures.py`, computed in the
background and stored; charts in `charts.py`), the lookups counted without slowing them
(`tally.py`), and what the lookups tell regulators (`insights.py`, staff only)."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

log = logging.getLogger(__name__)
REFRESH_SECONDS = 15 * 60  # how old the stored statistics may grow
FLUSH_SECONDS = 10  # how long a process keeps its lookup counts before writing them


class Background:
    """Runs the statistics' jobs in a thread of their own, one at a time, so that a worker's
    turn (or a request) never waits for a million records to be counted."""

    def __init__(self, app: Flask):
        self.app, self.lock = app, threading.Lock()
        self.refreshed, self.flushed = 0.0, time.monotonic()
        self.flush_seconds = app.config.get("STATISTICS_FLUSH_SECONDS", FLUSH_SECONDS)

    def _run(self, work) -> threading.Thread | None:
        if not self.lock.acquire(blocking=False):
            return None

        def run():
            try:
                with self.app.app_context():
                    work(self.app.extensions["registry.engine"])
            except Exception:  # noqa: BLE001 - logged; tried again on the next turn
                log.exception("statistics job failed")
            finally:
                self.lock.release()

        thread = threading.Thread(target=run, name="registry-statistics", daemon=True)
        thread.start()
        return thread

    def flush_soon(self) -> threading.Thread | None:
        """Write this process's lookup counts when they are FLUSH_SECONDS old."""
        from registry.statistics import tally

        waited = time.monotonic() - self.flushed
        if waited < self.flush_seconds or not tally.of(self.app).pending():
            return None
        self.flushed = time.monotonic()
        return self._run(lambda engine: tally.flush(engine, self.app))

    def refresh_due(self) -> threading.Thread | None:
        """Recompute the statistics and the shared contacts when REFRESH_SECONDS old; prune
        the names searched long ago."""
        from registry.statistics import figures, insights, tally

        if time.monotonic() - self.refreshed < REFRESH_SECONDS:
            return None
        self.refreshed = time.monotonic()

        def work(engine):
            tally.flush(engine, self.app)
            tally.prune(engine)
            figures.refresh(engine)
            insights.refresh_shared(engine)

        return self._run(work)


def init_app(app: Flask) -> None:
    from registry.statistics import cli, placement_views, views  # noqa: F401 - its routes

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.refresh_statistics)
    app.cli.add_command(cli.import_placements)
    background = app.extensions["registry.statistics"] = Background(app)
    app.extensions.setdefault("registry.jobs", {})["statistics"] = background.refresh_due

    @app.after_request
    def write_lookup_counts(response):
        background.flush_soon()
        return response
