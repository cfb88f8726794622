"""The session cookie: Secure whenever the request came over HTTPS, HttpOnly, SameSite=Lax."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

# A staff session: a working day. The signed cookie expires then, and a cookie older than this
# is refused even if a browser kept it (config.from_environment sets it: Flask's own default, 31
# days, is always present, so a setdefault here would never apply).
SESSION_LIFETIME = timedelta(hours=8)


class RegistrySessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    app.session_interface = RegistrySessionInterface()
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
