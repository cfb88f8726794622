"""Red flags: NGOs and the public report, regulators review."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.reports import referral_views, views  # noqa: F401 - referral_views adds routes

    app.register_blueprint(views.bp)
