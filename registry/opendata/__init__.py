"""Open data: the whole public register as files anyone may reuse (`/data`), and the changes
since a given time for mirrors (`/api/v1/changes`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.opendata import cli, dumps, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.write_dump_command)
    app.extensions.setdefault("registry.jobs", {})["opendata"] = lambda: dumps.keep_current(app)
