"""What a list of results shows of each agency, read in plain queries and kept per process.

A lookup shows up to 30 agencies, each with its names and what its verdict reads (licences,
sanctions, findings, red flags). As ORM objects that cost 5 ms a lookup, more than the search
itself; here they are read with Core queries into frozen records, and each process keeps the
records it read, keyed by agency id and `updated_at`.

The kept records are never trusted blindly: every lookup reads the ids' current `updated_at` in
one indexed query and rereads the agencies whose stamp changed. Every change to an agency or to a
record hanging off it bumps that stamp in the same transaction (registry.search.outbox), so a
record changed by any process or app server is shown as committed, not as kept. The agency page
reads everything afresh (records.load_full).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from registry.models import Agency, AgencyName, Authority, Finding, Licence, RedFlag, Sanction
from registry.verdict import Verdict, evaluate


@dataclass(frozen=True)
class AuthorityName:
    name: str


@dataclass(frozen=True)
class ListedName:
    name: str
    type: str


@dataclass(frozen=True)
class ListedLicence:
    number: str
    status: str
    valid_from: date | None
    valid_until: date | None
    conditions: str
    authority: AuthorityName | None


@dataclass(frozen=True)
class ListedSanction:
    type: str
    status: str
    appeal_state: str
    starts_on: date
    ends_on: date | None
    decision_ref: str
    authority: AuthorityName | None


@dataclass(frozen=True)
class ListedFinding:
    decided_on: date
    reference: str
    summary: str
    authority: AuthorityName | None


@dataclass(frozen=True)
class ListedRedFlag:
    category: str
    state: str


@dataclass(frozen=True)
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


def _authority(name: str | None) -> AuthorityName | None:
    return AuthorityName(name) if name is not None else None


# Built once: building a statement costs more than running it (SQLAlchemy caches the compiled
# form by the statement's structure, which it must still work out for a new statement object).
_IDS = bindparam("ids", expanding=True)
_STAMPS = select(Agency.id, Agency.updated_at).where(Agency.id.in_(_IDS))
_AGENCIES = select(Agency.id, Agency.name, Agency.kind, Agency.country, Agency.listing,
                   Agency.updated_at).where(Agency.id.in_(_IDS))
_CHILDREN = {
    "names": (select(AgencyName.agency_id, AgencyName.name, AgencyName.type)
              .where(AgencyName.agency_id.in_(_IDS)).order_by(AgencyName.id),
              lambda row: ListedName(row[1], row[2])),
    "licences": (select(Licence.agency_id, Licence.number, Licence.status, Licence.valid_from,
                        Licence.valid_until, Licence.conditions, Authority.name)
                 .outerjoin(Authority, Licence.authority_id == Authority.id)
                 .where(Licence.agency_id.in_(_IDS)).order_by(Licence.id),
                 lambda row: ListedLicence(*row[1:6], _authority(row[6]))),
    "sanctions": (select(Sanction.agency_id, Sanction.type, Sanction.status,
                         Sanction.appeal_state, Sanction.starts_on, Sanction.ends_on,
                         Sanction.decision_ref, Authority.name)
                  .outerjoin(Authority, Sanction.authority_id == Authority.id)
                  .where(Sanction.agency_id.in_(_IDS)).order_by(Sanction.id),
                  lambda row: ListedSanction(*row[1:7], _authority(row[7]))),
    "findings": (select(Finding.agency_id, Finding.decided_on, Finding.reference,
                        Finding.summary, Authority.name)
                 .outerjoin(Authority, Finding.authority_id == Authority.id)
                 .where(Finding.agency_id.in_(_IDS)).order_by(Finding.id),
                 lambda row: ListedFinding(*row[1:4], _authority(row[4]))),
    "red_flags": (select(RedFlag.agency_id, RedFlag.category, RedFlag.state)
                  .where(RedFlag.agency_id.in_(_IDS)).order_by(RedFlag.id),
                  lambda row: ListedRedFlag(row[1], row[2])),
}


def read(connection: Connection, agency_ids: list[int]) -> dict[int, ListedAgency]:
    """The agencies with these ids as they are in the database (six queries, whatever the count)."""
    if not agency_ids:
        return {}
    ids = {"ids": list(agency_ids)}
    children = {}
    for field, (statement, make) in _CHILDREN.items():
        rows: dict[int, list] = {i: [] for i in agency_ids}
        for row in connection.execute(statement, ids):
            rows[row[0]].append(make(row))
        children[field] = rows
    return {row[0]: ListedAgency(*row, **{k: tuple(v[row[0]]) for k, v in children.items()})
            for row in connection.execute(_AGENCIES, ids)}


class _Kept:
    __slots__ = ("record", "dated")

    def __init__(self, record: ListedAgency):
        self.record = record
        self.dated: tuple[date, Verdict] | None = None  # the verdict last asked for, and its date


class ListingCache:
    """The records a process read for lists of results, the `size` used last (0: keep none)."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self._kept: OrderedDict[int, _Kept] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def load(self, connection: Connection, agency_ids: list[int],
             on: date) -> dict[int, tuple[ListedAgency, Verdict]]:
        """The agencies with these ids that still exist, each with its verdict on `on`."""
        if not agency_ids:
            return {}
        stamps = dict(connection.execute(_STAMPS, {"ids": list(agency_ids)}).all())
        kept: dict[int, _Kept] = {}
        with self._lock:
            for agency_id, stamp in stamps.items():
                entry = self._kept.get(agency_id)
                if entry is not None and entry.record.updated_at == stamp:
                    self._kept.move_to_end(agency_id)
                    kept[agency_id] = entry
        missing = [i for i in stamps if i not in kept]
        if missing:
            fresh = {i: _Kept(r) for i, r in read(connection, missing).items()}
            kept.update(fresh)
            if self.size:
                with self._lock:
                    self._kept.update(fresh)
                    while len(self._kept) > self.size:
                        self._kept.popitem(last=False)
        result = {}
        for agency_id, entry in kept.items():
            dated = entry.dated
            if dated is None or dated[0] != on:  # a verdict changes with the date alone
                record = entry.record
                dated = entry.dated = (on, evaluate(
                    licences=record.licences, sanctions=record.sanctions,
                    findings=record.findings, red_flags=record.red_flags, on=on))
            result[agency_id] = (entry.record, dated[1])
        return result
