"""Structured logs: one JSON object per line on stderr, and one line per request.

A request line has its method, route (the URL rule, never the query string: what a migrant
searched for is not logged), status, duration and a request id (the proxy's X-Request-ID, or
one made here, sent back in the response). REGISTRY_LOG_FORMAT=text gives plain lines instead.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid

from flask import Flask, g, request

RESERVED = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z"
        entry = {
            "time": stamp,
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        entry.update(
            {
                k: v
                for k, v in vars(record).items()
                if k not in RESERVED and not k.startswith("_") and k not in ("message", "asctime")
            }
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


_QUERY_STRING = re.compile(r'("[A-Z]+ [^ ?"]*)\?[^ "]*')


class NoQueryStrings(logging.Filter):
    """The development server logs each request line: keep the path, drop the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "werkzeug":
            record.msg, record.args = _QUERY_STRING.sub(r"\1", record.getMessage()), ()
        return True


def configure(level: str | None = None) -> None:
    """Send the registry's and the server's logs to stderr in the chosen format (once)."""
    root = logging.getLogger()
    if any(getattr(h, "_registry", False) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler._registry = True  # type: ignore[attr-defined]
    handler.addFilter(NoQueryStrings())
    if os.environ.get("REGISTRY_LOG_FORMAT", "json") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(level or os.environ.get("REGISTRY_LOG_LEVEL", "INFO"))


access = logging.getLogger("registry.access")


def init_app(app: Flask) -> None:
    if not app.testing:
        configure()

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = (request.headers.get("X-Request-ID") or uuid.uuid4().hex)[:64]

    @app.after_request
    def _log(response):
        started = g.get("request_started")
        if started is None:
            return response
        response.headers.setdefault("X-Request-ID", g.request_id)
        access.info(
            "request",
            extra={
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else "(no route)",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "request_id": g.request_id,
            },
        )
        return response
