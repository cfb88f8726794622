"""The regulators' workflow: agencies, licences and sanctions of their own jurisdiction."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.regulation import views
    app.register_blueprint(views.bp)
