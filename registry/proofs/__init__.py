"""Proof of a check: a printable, dated record of what the registry answered about an agency,
with a code and a QR code that open /check/<code>, where anyone (family, a consulate, a lawyer)
confirms that the registry issued it and sees what has changed since."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registry.proofs import views

    app.register_blueprint(views.bp)
