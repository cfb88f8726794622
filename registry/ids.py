"""Record ids as they arrive in URLs, query strings and forms: bounded to what the database can
hold (the tables' ids are INTEGER: a signed 32-bit integer on PostgreSQL), so that an absurd id
is a clear "not found" or "not valid", never an out-of-range error from the database."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; SQLite's is larger
_DIGITS = re.compile(r"[0-9]{1,10}")


def to_id(value: Any) -> int | None:
    """The id written in `value` (ASCII digits, 1 to MAX_ID), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str) or not _DIGITS.fullmatch(value.strip()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def id_arg(value: str) -> int:
    """For `request.args.get(name, type=id_arg)`: a bad id reads as absent (None)."""
    found = to_id(value)
    if found is None:
        raise ValueError(value)
    return found


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits up to MAX_ID; anything else does not match
    (404)."""

    regex = r"[0-9]{1,19}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
