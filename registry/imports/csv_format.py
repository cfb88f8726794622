"""The agencies CSV: its columns and the validation of each row.

name,kind,country,licence_number,status,aliases,valid_from,valid_until,authority,address,city,
phone,email,website  (UTF-8, header row; lists separated by "|"; dates ISO 8601; one line a
row: a value never spans lines). Every problem is reported with its line number, and a bad line
never swallows the lines after it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from registry.countries import is_country
from registry.search.matching import domain_key, licence_key, name_key
from registry.vocab import AGENCY_KINDS, LICENCE_STATUSES

COLUMNS = [
    "name",
    "kind",
    "country",
    "licence_number",
    "status",
    "aliases",
    "valid_from",
    "valid_until",
    "authority",
    "address",
    "city",
    "phone",
    "email",
    "website",
]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class AgencyRow:
    line: int
    name: str
    kind: str
    country: str
    licence_number: str = ""
    status: str = ""
    aliases: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_until: date | None = None
    authority: str = ""
    address: str = ""
    city: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)


@dataclass
class RowError:
    line: int
    raw: dict
    messages: list[str]

    def __str__(self) -> str:
        return f"line {self.line}: " + "; ".join(self.messages)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _date(raw: dict, column: str, errors: list[str]) -> date | None:
    value = (raw.get(column) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{column} '{value}' is not a date (use YYYY-MM-DD)")
        return None


def validate_row(line: int, raw: dict) -> AgencyRow | RowError:
    """Check one row; return the parsed row or every problem it has."""
    get = lambda c: (raw.get(c) or "").strip()  # noqa: E731
    errors: list[str] = []
    if not get("name"):
        errors.append("name is required")
    elif len(get("name")) > 300:
        errors.append("name is longer than 300 characters")
    kind = get("kind") or "agency"
    if kind not in AGENCY_KINDS:
        errors.append(f"kind '{kind}' must be one of {', '.join(AGENCY_KINDS)}")
    country = get("country").upper()
    if not is_country(country):
        errors.append(f"country '{get('country')}' is not an ISO 3166-1 alpha-2 code")
    status = get("status").lower()
    number = get("licence_number")
    if status and status not in LICENCE_STATUSES:
        errors.append(f"status '{status}' must be one of {', '.join(LICENCE_STATUSES)} or empty")
    if number and not status:
        errors.append("status is required when a licence number is given")
    if status and not number:
        errors.append("licence_number is required when a status is given")
    if number and not licence_key(number):
        errors.append(f"licence_number '{number}' has no letters or digits")
    valid_from, valid_until = _date(raw, "valid_from", errors), _date(raw, "valid_until", errors)
    if valid_from and valid_until and valid_from > valid_until:
        errors.append("valid_from is after valid_until")
    emails = _split(get("email"))
    errors += [f"email '{e}' is not an e-mail address" for e in emails if not _EMAIL.match(e)]
    websites = _split(get("website"))
    errors += [f"website '{w}' is not a web address" for w in websites if "." not in domain_key(w)]
    if errors:
        return RowError(line, raw, errors)
    return AgencyRow(
        line=line,
        name=get("name"),
        kind=kind,
        country=country,
        licence_number=number,
        status=status,
        aliases=_split(get("aliases")),
        valid_from=valid_from,
        valid_until=valid_until,
        authority=get("authority"),
        address=get("address"),
        city=get("city"),
        phones=_split(get("phone")),
        emails=emails,
        websites=websites,
    )


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, str | RowError]]:
    """(line number, text) of each physical line, or a RowError for a line that is not UTF-8
    (the others are still read)."""
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # the byte order mark spreadsheets write
        try:
            yield number, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as error:
            yield (
                number,
                RowError(
                    number,
                    {},
                    [
                        f"not UTF-8 (byte 0x{raw[error.start]:02X} at column "
                        f"{error.start + 1}); save the file as CSV UTF-8"
                    ],
                ),
            )


def _values(number: int, text: str, width: int) -> list[str] | RowError:
    """The values of one line. A field never spans lines in this format: a quote left open is
    an error of its line alone, not a reason to read the next lines into one field."""
    try:
        parsed = list(csv.reader([text], strict=True))
    except csv.Error as error:
        problem = (
            "a quote opened on this line is not closed (a value cannot span lines)"
            if "end of data" in str(error) or "EOF" in str(error)
            else f"not a valid CSV line ({error})"
        )
        return RowError(number, {"name": text[:300]}, [problem])
    values = parsed[0] if parsed else []
    if len(values) != width:
        return RowError(
            number,
            dict(zip(COLUMNS, values)),
            [
                f"{len(values)} values, where the header has {width} columns (a comma too many or "
                "too few, or a value with a comma that is not in quotes)"
            ],
        )
    return values


def read_rows(handle: IO[bytes]) -> Iterator[AgencyRow | RowError]:
    """Validate every row of a CSV file opened in binary; line numbers count the header as
    line 1, and each problem is reported on its own line."""
    lines = _lines(handle)
    header_line = next(lines, (1, ""))[1]
    if isinstance(header_line, RowError):
        raise ValueError(str(header_line))
    header = next(csv.reader([header_line]), [])
    header = [h.strip() for h in header]
    missing = [c for c in ("name", "country") if c not in header]
    if missing:
        raise ValueError(
            f"line 1: the header lacks the column(s) {', '.join(missing)}; "
            f"expected {','.join(COLUMNS)}"
        )
    seen_licences: dict[tuple[str, str], tuple[int, str]] = {}
    for line, text in lines:
        if isinstance(text, RowError):
            yield text
            continue
        if not text.strip(" ,\t"):
            continue
        values = _values(line, text, len(header))
        if isinstance(values, RowError):
            yield values
            continue
        raw = dict(zip(header, values))
        row = validate_row(line, raw)
        if isinstance(row, AgencyRow) and row.licence_number:
            key = (licence_key(row.licence_number), row.country)
            earlier = seen_licences.setdefault(key, (line, name_key(row.name)))
            if earlier[1] != name_key(row.name):
                row = RowError(
                    line,
                    raw,
                    [
                        f"licence_number '{row.licence_number}' is already "
                        f"given to another name on line {earlier[0]}"
                    ],
                )
        yield row
