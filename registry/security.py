"""What every response and request goes through: security headers, the request size limit, and
the client's address behind trusted proxies.

- Headers: a strict Content-Security-Policy (the pages need no JavaScript, inline style or
  third-party resource), no MIME sniffing, no framing by any site, the referrer only to this
  site (a search typed by a migrant never leaves in a Referer), HSTS over HTTPS.
- Size: a request body is refused with 413 before it is read when it is larger than
  MAX_CONTENT_LENGTH (55 MB, as the nginx guide's `client_max_body_size`: five evidence files of
  10 MB) on the report form, and than SMALL_REQUEST_BYTES everywhere else.
- Proxies: REGISTRY_TRUSTED_PROXIES (default 0) is the number of proxies in front of the app
  whose X-Forwarded-For and X-Forwarded-Proto are believed (Werkzeug's ProxyFix); with none, the
  address is the connection's. Log-in lock-outs and the public report limit count per address:
  behind a proxy that is not trusted, every visitor would share the proxy's.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, make_response, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
UPLOAD_ENDPOINTS = {"reports.report"}
SMALL_REQUEST_BYTES = 1024 * 1024


def _limit_request_size() -> None:
    """Requests that take no files are held to a megabyte (checked against Content-Length before
    the body is read, and while it is read when there is none)."""
    if request.endpoint not in UPLOAD_ENDPOINTS:
        request.max_content_length = min(
            SMALL_REQUEST_BYTES, request.max_content_length or SMALL_REQUEST_BYTES
        )


def _refuse_nul_bytes() -> None:
    """No text field of the registry holds a NUL byte, and PostgreSQL refuses one in a string:
    a request carrying one is answered 400 here, whatever it was going to do."""
    values = [*request.args.values(), *request.args.keys()]
    if request.method in ("POST", "PUT", "PATCH"):
        values += [
            *request.form.values(),
            *request.form.keys(),
            *(f.filename or "" for f in request.files.values()),
        ]
    if any("\x00" in value for value in values):
        abort(400, description=_("Something you sent contains a character that is not allowed."))


def _headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def no_store(view):
    """For pages that hold what only their reader should see (a receipt code, a report's state):
    kept by no cache, neither a proxy's nor the browser's on a shared phone."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


def init_app(app: Flask) -> None:
    """Call before CSRFProtect: its check reads the form, so the size limit must be set first."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.before_request(_limit_request_size)
    app.before_request(_refuse_nul_bytes)
    app.after_request(_headers)
