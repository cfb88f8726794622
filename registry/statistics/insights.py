"""What the lookups tell regulators (staff only): the names most searched that match nothing,
the look-alike names searched beside licensed ones, and the phones, websites and e-mail
domains several agencies share. Aggregates only (registry.statistics.tally)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from registry.clock import today
from registry.models import Agency, AgencyContact, SearchedName, StatisticsSnapshot, utcnow
from registry.search.matching import domain_key
from registry.statistics.tally import KEEP_DAYS

SHARED_ROW = 2  # statistics_snapshot row of the shared contacts (never on a public page)
# mail providers: an address there says nothing about who runs the agency
PROVIDERS = frozenset(
    {
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "yahoo.com.mx",
        "icloud.com",
        "aol.com",
        "protonmail.com",
        "proton.me",
        "msn.com",
        "hotmail.es",
        "yahoo.es",
        "facebook.com",
        "wa.me",
        "instagram.com",
    }
)
MOST = 50


@dataclass
class Searched:
    shown: str
    country: str
    count: int
    nearest_id: int | None = None
    nearest_name: str = ""


def searched(session: Session, outcome: str, country: str = "", days: int = KEEP_DAYS):
    """The names searched most in the last `days` days that found `outcome` (none: nothing;
    similar: only look-alikes), with the look-alike shown first."""
    since = today() - timedelta(days=days)
    query = (
        select(
            SearchedName.name_key,
            SearchedName.country,
            func.sum(SearchedName.count),
            func.max(SearchedName.shown),
            func.max(SearchedName.nearest_id),
        )
        .where(SearchedName.outcome == outcome, SearchedName.day >= since)
        .group_by(SearchedName.name_key, SearchedName.country)
        .order_by(func.sum(SearchedName.count).desc(), SearchedName.name_key)
        .limit(MOST)
    )
    if country:
        query = query.where(SearchedName.country == country)
    rows = [
        Searched(shown, c, int(n), nearest) for _k, c, n, shown, nearest in session.execute(query)
    ]
    ids = {r.nearest_id for r in rows if r.nearest_id}
    if ids:
        names = dict(
            session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids))).all()
        )
        for row in rows:
            row.nearest_name = names.get(row.nearest_id, "")
    return rows


def _key(kind: str, value: str, country: str) -> str:
    if kind == "phone":
        try:
            parsed = phonenumbers.parse(value, country or None)
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            digits = "".join(c for c in value if c.isdigit())
            return digits if len(digits) >= 6 else ""
    key = domain_key(value)
    return "" if key in PROVIDERS or "." not in key else key


def shared_contacts(session: Session) -> list[dict]:
    """Phones, websites and e-mail domains used by 2 to 20 agencies (more is a provider or a
    call centre, not a sign), most shared first."""
    groups: dict = defaultdict(set)
    query = (
        select(AgencyContact.type, AgencyContact.value, Agency.id, Agency.country)
        .join(Agency, Agency.id == AgencyContact.agency_id)
        .where(Agency.merged_into_id.is_(None))
    )
    for kind, value, agency_id, country in session.execute(query.execution_options(yield_per=5000)):
        key = _key(kind, value, country)
        if key:
            groups[("phone" if kind == "phone" else "domain", key)].add(agency_id)
    found = [
        {"kind": kind, "key": key, "agencies": sorted(ids)}
        for (kind, key), ids in groups.items()
        if 2 <= len(ids) <= 20
    ]
    found.sort(key=lambda g: (-len(g["agencies"]), g["key"]))
    return found[:500]


def refresh_shared(engine: Engine) -> None:
    with Session(engine) as session:
        data = shared_contacts(session)
        row = session.get(StatisticsSnapshot, SHARED_ROW) or StatisticsSnapshot(id=SHARED_ROW)
        row.data, row.computed_at = json.dumps(data), utcnow()
        session.add(row)
        session.commit()


def stored_shared(session: Session) -> tuple[list[dict], object]:
    row = session.get(StatisticsSnapshot, SHARED_ROW)
    return (json.loads(row.data), row.computed_at) if row else ([], None)


def agency_names(session: Session, groups: list[dict]) -> dict[int, str]:
    ids = {i for g in groups for i in g["agencies"]}
    if not ids:
        return {}
    return dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids))).all())
