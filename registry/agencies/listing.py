"""What a list of results shows of each agency, read in one query and kept per process.

A lookup shows up to 30 agencies, each with its names and what its verdict reads (licences,
sanctions, findings, red flags). As ORM objects (six queries) they cost more than the search
itself; here they are read with one Core query into frozen records, and each process keeps the
records it read, keyed by agency id and `updated_at`.

The kept records are never trusted blindly: every lookup reads the current `updated_at` of those
it would show (in the query that reads the records it lacks) and rereads the agencies whose
stamp changed. Every change to an agency or to a
record hanging off it bumps that stamp in the same transaction (registry.search.outbox), so a
record changed by any process or app server is shown as committed, not as kept. The agency page
reads everything afresh (records.load_full).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import get_args, get_type_hints

from sqlalchemy import (
    ARRAY,
    Date,
    DateTime,
    Integer,
    Text,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.engine import Connection, Dialect

from registry.caching import Bounded
from registry.db import driver_rows
from registry.models import Agency, AgencyName, Authority, Finding, Licence, RedFlag, Sanction
from registry.verdict import Verdict, evaluate


@dataclass(frozen=True, slots=True)
class AuthorityName:
    name: str


@dataclass(frozen=True, slots=True)
class ListedName:
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class ListedLicence:
    id: int
    authority_id: int | None
    number: str
    status: str
    valid_from: date | None
    valid_until: date | None
    conditions: str
    country: str
    authority: AuthorityName | None


@dataclass(frozen=True, slots=True)
class ListedSanction:
    type: str
    country: str
    status: str
    appeal_state: str
    starts_on: date
    ends_on: date | None
    decision_ref: str
    authority: AuthorityName | None
    licence_id: int | None
    authority_id: int | None
    lifted_on: date | None


@dataclass(frozen=True, slots=True)
class ListedFinding:
    decided_on: date
    reference: str
    summary: str
    authority: AuthorityName | None


@dataclass(frozen=True, slots=True)
class ListedRedFlag:
    category: str
    state: str


@dataclass(frozen=True, slots=True)
class ListedAgency:
    """An agency as a list of results shows it; attribute names as on the models, so that
    verdict.evaluate, records.primary_licence and the templates read either."""

    id: int
    name: str
    kind: str
    country: str
    listing: str
    updated_at: datetime
    names: tuple[ListedName, ...]
    licences: tuple[ListedLicence, ...]
    sanctions: tuple[ListedSanction, ...]
    findings: tuple[ListedFinding, ...]
    red_flags: tuple[ListedRedFlag, ...]


@lru_cache(maxsize=1024)  # a few authorities, named by every licence and sanction
def _authority(name: str | None) -> AuthorityName | None:
    return AuthorityName(name) if name is not None else None


# The parts of the union below: each child table, the ListedAgency field it fills and the record
# it makes. A record's fields are read from the model's columns of the same name ("id": the
# row's id; "authority": the name of the authority it names), so adding a field to a record is
# the one edit: its column takes a slot of its type (text, date or number) in the union.
PARTS = {
    1: ("names", AgencyName, ListedName),
    2: ("licences", Licence, ListedLicence),
    3: ("sanctions", Sanction, ListedSanction),
    4: ("findings", Finding, ListedFinding),
    5: ("red_flags", RedFlag, ListedRedFlag),
}
AGENCY_FIELDS = ("name", "kind", "country", "listing")  # ListedAgency's, besides id and children
STAMP = -1  # the part of a row that only gives an agency's updated_at


def _kind(annotation) -> str:
    """The slot a field's type takes in the union: "date", "number" or "text"."""
    types = set(get_args(annotation)) or {annotation}
    if date in types:
        return "date"
    if int in types:
        return "number"
    return "text"


def _slots(record) -> list[tuple[str, str, int]]:
    """(field, kind, number of that kind) for the record's fields read from columns."""
    counts: dict[str, int] = {"text": 0, "date": 0, "number": 0}
    found = []
    for name, annotation in get_type_hints(record).items():
        if name in ("id", "authority"):
            continue
        kind = _kind(annotation)
        counts[kind] += 1
        found.append((name, kind, counts[kind]))
    return found


# How many slots of each kind the union has: as many as the record that needs most.
WIDTH = {
    kind: max(
        [sum(1 for _n, k, _i in _slots(r) if k == kind) for _f, _t, r in PARTS.values()]
        + [len(AGENCY_FIELDS) if kind == "text" else 0]
    )
    for kind in ("text", "date", "number")
}
_PREFIX = {"text": "t", "date": "d", "number": "n"}
COLUMNS = (
    ["part", "agency_id", "row_id"]
    + [
        f"{_PREFIX[kind]}{i}"
        for kind in ("text", "date", "number")
        for i in range(1, WIDTH[kind] + 1)
    ]
    + ["ts", "authority"]
)
_AT = {name: at for at, name in enumerate(COLUMNS)}
_NULL = {"text": Text, "date": Date, "number": Integer}


def _part(ids, number: int, table, record=None, *, fields=(), ts=None):
    """One table's rows in the shape of the union (COLUMNS); the columns a table lacks are
    typed NULLs. `record`: the record the rows make (its fields name the columns); `fields`:
    text columns by name, for the agency row."""
    agency_id = table.id if table is Agency else table.agency_id
    slots = (
        _slots(record) if record is not None else [(f, "text", i + 1) for i, f in enumerate(fields)]
    )
    by_slot = {f"{_PREFIX[kind]}{i}": getattr(table, name) for name, kind, i in slots}
    authority = (
        getattr(table, "authority_id", None)
        if record is not None and "authority" in (get_type_hints(record))
        else None
    )
    columns = [
        literal_column(str(number)).label("part"),
        agency_id.label("agency_id"),
        table.id.label("row_id"),
    ]
    for name in COLUMNS[3:-2]:
        column = by_slot.get(name)
        columns.append(
            (column if column is not None else cast(None, _NULL[_KIND_OF[name[0]]])).label(name)
        )
    columns.append((ts if ts is not None else cast(None, DateTime)).label("ts"))
    columns.append(
        (Authority.name if authority is not None else cast(None, Text)).label("authority")
    )
    statement = select(*columns)
    if authority is not None:
        statement = statement.outerjoin(Authority, authority == Authority.id)
    return statement.where(ids(agency_id))


_KIND_OF = {prefix: kind for kind, prefix in _PREFIX.items()}


@dataclass(frozen=True)
class _Statement:
    """A statement compiled once for a dialect, run on the driver's cursor: SQLAlchemy's
    execution (its compiled-statement cache, expanding the ids, a Row per row, its date
    processors) cost several times what SQLite spends on the query itself (bench/README.md)."""

    sql: str
    names: tuple[str, ...]  # the parameters, in the order of a positional paramstyle
    positional: bool
    ids: Callable[[list[int]], object]  # a list of ids as the driver takes it

    def run(self, connection: Connection, **ids: list[int]) -> list[tuple]:
        values = {name: self.ids(ids[name]) for name in self.names}
        return driver_rows(
            connection,
            self.sql,
            tuple(values[n] for n in self.names) if self.positional else values,
        )


_COMPILED: dict[tuple[str, str, str], tuple[_Statement, _Statement, _Statement]] = {}


def _statements(dialect: Dialect) -> tuple[_Statement, _Statement, _Statement]:
    """The statements below, compiled once per kind of database and driver."""
    key = (dialect.name, dialect.driver, dialect.paramstyle)
    if key not in _COMPILED:
        _COMPILED[key] = _compile_statements(dialect)
    return _COMPILED[key]


def _compile_statements(dialect: Dialect) -> tuple[_Statement, _Statement, _Statement]:
    """(records, stamps and records, stamps):

    - records: everything a list shows of the agencies `ids`, in one round trip (the agency row
      first: its columns' types decide how the union's values are read);
    - stamps and records: the `updated_at` of the agencies `held` (to check what a process
      keeps) and the records of the agencies `missing`, in one round trip;
    - stamps: the `updated_at` of the agencies `held` alone (when the process holds them all).

    Each list of ids is one parameter, so that each statement has one text whatever their
    number: an array on PostgreSQL (psycopg prepares the statement once per connection), a
    JSON array read by json_each on SQLite."""
    if dialect.name == "postgresql":

        def ids_in(name: str):
            array = bindparam(name, type_=ARRAY(Integer))
            return lambda column: column == any_(array)

        as_driver_takes: Callable[[list[int]], object] = list
    else:

        def ids_in(name: str):
            listed = select(
                func.json_each(bindparam(name, type_=Text)).table_valued("value").c.value
            ).scalar_subquery()
            return lambda column: column.in_(listed)

        as_driver_takes = json.dumps

    def records(ids):
        return [
            _part(ids, 0, Agency, fields=AGENCY_FIELDS, ts=Agency.updated_at),
            *(_part(ids, number, table, record) for number, (_f, table, record) in PARTS.items()),
        ]

    def compiled(statement) -> _Statement:
        found = statement.compile(dialect=dialect)
        positional = bool(found.positional)
        names = tuple(found.positiontup) if positional else tuple(found.binds)
        return _Statement(found.string, names, positional, as_driver_takes)

    stamps = _part(ids_in("held"), STAMP, Agency, ts=Agency.updated_at)
    return (
        compiled(union_all(*records(ids_in("ids"))).order_by("part", "row_id")),
        compiled(union_all(*records(ids_in("missing")), stamps).order_by("part", "row_id")),
        compiled(stamps),
    )


def _as_date(value: str | date | None) -> date | None:
    """A date as the driver gives it: SQLite keeps ISO text (as SQLAlchemy writes it)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_datetime(value: str | datetime | None) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _maker(record) -> Callable[[tuple], object]:
    """The function that makes `record` from a row of the union."""
    hints = get_type_hints(record)
    reads = []
    for name in hints:
        if name == "id":
            reads.append((_AT["row_id"], None))
        elif name == "authority":
            reads.append((_AT["authority"], _authority))
        else:
            kind = _kind(hints[name])
            index = next(i for n, _k, i in _slots(record) if n == name)
            reads.append((_AT[f"{_PREFIX[kind]}{index}"], _as_date if kind == "date" else None))
    return lambda row: record(
        *[convert(row[at]) if convert is not None else row[at] for at, convert in reads]
    )


_MAKE = {number: _maker(record) for number, (_f, _t, record) in PARTS.items()}
_FIELDS = {number: field for number, (field, _t, _r) in PARTS.items()}
PART, AGENCY_ID, TS = _AT["part"], _AT["agency_id"], _AT["ts"]
_AGENCY_AT = [_AT[f"t{i}"] for i in range(1, len(AGENCY_FIELDS) + 1)]


def read(connection: Connection, agency_ids: list[int]) -> dict[int, ListedAgency]:
    """The agencies with these ids as they are in the database (one query)."""
    if not agency_ids:
        return {}
    rows = _statements(connection.dialect)[0].run(connection, ids=list(agency_ids))
    return _records(rows, agency_ids, {})


def _records(rows, agency_ids: list[int], stamps: dict[int, datetime]) -> dict[int, ListedAgency]:
    """Records from rows of the union (_statements), for the agencies `agency_ids`; the rows
    that only give a stamp are put in `stamps`."""
    agencies, children = {}, {i: {f: [] for f in _FIELDS.values()} for i in agency_ids}
    for row in rows:
        part = row[PART]
        if part == 0:
            agencies[row[AGENCY_ID]] = (
                row[AGENCY_ID],
                *[row[at] for at in _AGENCY_AT],
                _as_datetime(row[TS]),
            )
        elif part == STAMP:
            stamps[row[AGENCY_ID]] = _as_datetime(row[TS])
        else:
            children[row[AGENCY_ID]][_FIELDS[part]].append(_MAKE[part](row))
    return {
        i: ListedAgency(*values, **{k: tuple(v) for k, v in children[i].items()})
        for i, values in agencies.items()
    }


class _Kept:
    __slots__ = ("record", "dated")

    def __init__(self, record: ListedAgency):
        self.record = record
        self.dated: tuple[date, Verdict] | None = None  # the verdict last asked for, and its date


class ListingCache:
    """The records a process read for lists of results, the `size` used last (0: keep none)."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self._kept: Bounded[_Kept] = Bounded(size)

    def __len__(self) -> int:
        return len(self._kept)

    def load(
        self, connection: Connection, agency_ids: list[int], on: date
    ) -> dict[int, tuple[ListedAgency, Verdict]]:
        """The agencies with these ids that still exist, each with its verdict on `on`.

        One round trip reads the records this process does not hold and the stamps of those it
        does; a held record whose stamp changed is read again (a second round trip)."""
        if not agency_ids:
            return {}
        held = self._kept.get_many(agency_ids)
        missing = [i for i in agency_ids if i not in held]
        stamps: dict[int, datetime] = {}
        _, with_records, stamps_only = _statements(connection.dialect)
        rows = (
            with_records.run(connection, held=list(held), missing=missing)
            if missing
            else stamps_only.run(connection, held=list(held))
        )
        fresh = _records(rows, missing, stamps)
        kept = {
            i: entry
            for i, entry in held.items()
            if i in stamps and entry.record.updated_at == stamps[i]
        }
        changed = [i for i in held if i in stamps and i not in kept]
        if changed:
            fresh.update(read(connection, changed))
        kept.update((i, _Kept(r)) for i, r in fresh.items())
        self._kept.put_many((i, kept[i]) for i in fresh)
        result = {}
        for agency_id, entry in kept.items():
            dated = entry.dated
            if dated is None or dated[0] != on:  # a verdict changes with the date alone
                record = entry.record
                dated = entry.dated = (
                    on,
                    evaluate(
                        licences=record.licences,
                        sanctions=record.sanctions,
                        findings=record.findings,
                        red_flags=record.red_flags,
                        on=on,
                    ),
                )
            result[agency_id] = (entry.record, dated[1])
        return result
