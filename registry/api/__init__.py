"""The JSON API (/api/v1). Read-only and public; errors are JSON too."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.api import views

    app.register_blueprint(views.bp)
