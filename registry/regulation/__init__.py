"""The regulators' workflow: agencies, licences and sanctions of their own jurisdiction."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.regulation import merge_views, translation_views, views  # noqa: F401 (routes)

    app.register_blueprint(views.bp)
