"""The append-only audit log: every write, chained by HMAC-SHA-256 (keyed outside the database)
so that rewriting history shows."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.audit.chain import use_key
    from registry.audit.cli import audit_head, verify_audit
    from registry.audit.views import bp

    use_key(app.extensions["registry.engine"], app.config["AUDIT_KEY"])
    app.cli.add_command(verify_audit)
    app.cli.add_command(audit_head)
    app.register_blueprint(bp)
