"""Beside the verdict: what entry to a destination country requires and what it may cost
(migration categories kept by that country's regulators, `requirements.py`), whether a charge
in an offer is allowed (`offers.py`, a pure function), and where to get help (`directory.py`:
consulates, labour attachés, organisations, legal aid, help lines), nearest first."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.guidance import cli, manage_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(manage_views.bp)
    app.cli.add_command(cli.load_requirements)
