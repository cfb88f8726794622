"""Open data: the whole public register as files anyone may reuse (`/data`), and the changes
since a given time for mirrors (`/api/v1/changes`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.opendata import cli, dumps, review_views, views  # noqa: F401 - routes

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.write_dump_command)
    app.cli.add_command(cli.import_list_command)
    app.extensions.setdefault("registry.jobs", {})["opendata"] = lambda: dumps.keep_current(app)
