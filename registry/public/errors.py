"""Error pages: JSON under /api/, a plain page elsewhere; every error rolls back the session."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from registry.search.whoosh_index import IndexUnavailable


def _handle(error: Exception):
    session = g.get("db_session")
    if session is not None:  # drop whatever the failed request wrote; teardown closes it
        session.rollback()
    if not isinstance(error, HTTPException):
        current_app.logger.exception("unhandled error on %s", request.path, exc_info=error)
        error = InternalServerError()
    if request.path.startswith("/api/"):
        return jsonify(
            error={"code": error.code, "name": error.name, "message": error.description}
        ), error.code
    from registry.reports.evidence import MAX_BYTES, MAX_FILES

    # a description the view gave (already in the visitor's language), never Werkzeug's default
    said = error.description if error.description != type(error).description else None
    return render_template(
        "errors/error.html",
        error=error,
        said=said,
        upload_limits=(MAX_FILES, MAX_BYTES // (1024 * 1024)),
    ), error.code


def _index_unavailable(error: IndexUnavailable):
    current_app.logger.error("search unavailable on %s: %s", request.path, error)
    body, status = _handle(
        ServiceUnavailable("The search is unavailable for a moment; try again in a minute.")
    )
    return body, status, {"Retry-After": "60"}


def init_app(app: Flask) -> None:
    app.register_error_handler(IndexUnavailable, _index_unavailable)
    app.register_error_handler(HTTPException, _handle)
    app.register_error_handler(Exception, _handle)
