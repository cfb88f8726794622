"""GET /healthz: can this app server answer a lookup? For the proxy and the orchestrator.

200 when the database answers and the search index is readable (its files read afresh, as a
worker starting now would) and of the current format; 503 otherwise, saying which part failed.
`pending` is how many changes wait for the indexer, and `oldest_pending_s` how long the oldest
has waited: a growing figure means no indexer is running.
Nothing in it is secret, and it is cheap enough to poll every few seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select, text

from registry.db import get_engine
from registry.models import IndexOutbox
from registry.search import get_index
from registry.search.whoosh_index import IndexUnavailable

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    report: dict = {"status": "ok"}
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
            count, oldest = connection.execute(
                select(func.count(), func.min(IndexOutbox.created_at))
            ).one()
        report["database"] = {"status": "ok", "dialect": get_engine().dialect.name}
    except Exception as error:  # noqa: BLE001 - the failure is the answer
        current_app.logger.warning("health: database unavailable: %s", error)
        report.update(
            status="failing", database={"status": "failing", "error": type(error).__name__}
        )
        return jsonify(report), 503
    index = get_index()
    try:
        problem = index.problem()  # the files as a new worker would read them
        documents = index.doc_count()
        stale = index.stale
    except Exception as error:  # noqa: BLE001 - the failure is the answer (its kind, no paths)
        problem = str(error) if isinstance(error, IndexUnavailable) else type(error).__name__
    if problem is not None:
        current_app.logger.warning("health: search index unavailable: %s", problem)
        report.update(
            status="failing",
            index={"status": "failing", "backend": index.name, "error": problem, "pending": count},
        )
        return jsonify(report), 503
    waited = 0.0
    if oldest is not None:
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        waited = round((datetime.now(UTC) - oldest).total_seconds(), 1)
    report["index"] = {
        "status": "stale" if stale else "ok",
        "backend": index.name,
        "documents": documents,
        "pending": count,
        "oldest_pending_s": waited,
    }
    if stale:  # written by an older version: `flask --app registry init-db` rebuilds it
        report["status"] = "failing"
        return jsonify(report), 503
    return jsonify(report)
