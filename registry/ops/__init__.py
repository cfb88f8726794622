"""Running in production: the health endpoint, structured logs, gunicorn settings, the indexer
process."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.ops import health, indexer, logs

    logs.init_app(app)
    app.register_blueprint(health.bp)
    indexer.init_app(app)
