"""The append-only audit log: every write, chained by SHA-256 so that rewriting history shows."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.audit.cli import verify_audit
    from registry.audit.views import bp
    app.cli.add_command(verify_audit)
    app.register_blueprint(bp)
