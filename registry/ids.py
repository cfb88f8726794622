"""Record ids as they arrive in URLs, query strings and forms: bounded to what the database can
hold (a signed 64-bit integer), so that an absurd id is a clear "not found" or "not valid",
never an OverflowError from the database driver."""
from __future__ import annotations

import re
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def to_id(value: Any) -> int | None:
    """The id written in `value` (ASCII digits, 1 to 2**63 - 1), or None."""
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
    """`<int:...>` in every route: ASCII digits up to 2**63 - 1; anything else does not match
    (404)."""

    regex = r"[0-9]{1,19}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
