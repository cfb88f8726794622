"""Accounts: log-in with Flask-Login; roles admin, regulator (one authority), NGO (one
organisation)."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import gettext
from flask_login import LoginManager

from registry.vocab import N_

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = N_("Please log in to see this page.")
login_manager.session_protection = "strong"
login_manager.localize_callback = gettext


@login_manager.user_loader
def _load_user(session_id: str):
    from registry.accounts.service import load_session_user
    from registry.db import get_session

    return load_session_user(get_session(), session_id)


def _private_when_logged_in(response):
    """A page answered to a logged-in user (a review queue, a reporter's name, an account list)
    is kept by no cache: not a proxy's, nor the browser's on a shared or lost device."""
    if session.get("_user_id") is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app: Flask) -> None:
    from registry.accounts import admin_views, cli, recovery_views, views  # noqa: F401

    login_manager.init_app(app)
    app.after_request(_private_when_logged_in)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    app.cli.add_command(cli.create_user_command)
