"""Authorities: the regulators, inspectorates and consulates that use the registry. Managed on the
web by administrators and listed by `flask list-authorities`; every change is audited."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.authorities import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.list_authorities_command)
