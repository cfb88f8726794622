"""Nobody has to ask: staff inboxes and their e-mail (notices), public watches of an agency by
e-mail, Atom feeds of public changes, the regional warnings page, and phoenix firms flagged to
the regulators concerned."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import gettext

    from registry.alerts import changes, phoenix, views, watches

    app.jinja_env.globals["change_title"] = changes.title

    app.jinja_env.filters["phoenix_reason"] = lambda reason: gettext(phoenix.REASONS[reason])

    app.register_blueprint(views.bp)
    app.extensions["csrf"].exempt(views.stop_watch)
    app.extensions.setdefault("registry.jobs", {})["watches"] = lambda: watches.tell_changes(app)
