"""The recruitment-integrity registry: `flask --app registry run`."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults from the environment, then `test_config`."""
    from flask_wtf.csrf import CSRFProtect

    from registry import (
        accounts,
        alerts,
        api,
        audit,
        authorities,
        cli,
        config,
        db,
        guidance,
        i18n,
        ids,
        mail,
        opendata,
        ops,
        permissions,
        proofs,
        public,
        regulation,
        reports,
        search,
        security,
        sessions,
        statistics,
    )

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    ids.init_app(app)  # before any blueprint's routes are added
    if test_config and "INSTANCE_PATH" in test_config:
        app.instance_path = str(test_config["INSTANCE_PATH"])
    app.config.from_mapping(config.from_environment(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)

    security.init_app(app)  # before CSRFProtect, whose check reads the form
    CSRFProtect(app)
    sessions.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    permissions.init_app(app)
    search.init_app(app)
    mail.init_app(app)
    public.init_app(app)
    accounts.init_app(app)
    authorities.init_app(app)
    audit.init_app(app)
    regulation.init_app(app)
    reports.init_app(app)
    alerts.init_app(app)
    opendata.init_app(app)
    proofs.init_app(app)
    guidance.init_app(app)
    statistics.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    ops.init_app(app)
    return app
