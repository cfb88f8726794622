"""Red flags: NGOs and the public report, regulators review."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.reports import views

    app.register_blueprint(views.bp)
