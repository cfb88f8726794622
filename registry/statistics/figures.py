"""The public statistics, computed from the records (by the background worker, `refresh`):
by country and year, what was licensed, sanctioned, found, visited and reported, and how the
lookups went, month by month. The page and the CSV files read the stored result.

Countries: a licence's and a sanction's own country; a finding's and a visit's authority's
country; a red flag's agency's country. Years: the licence's start (issued) and end (lapsed),
the sanction's start, the finding's decision, the visit, the report's receipt."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from datetime import date

from sqlalchemy import Engine, distinct, extract, func, or_, select, true
from sqlmodel import Session

from registry.clock import today
from registry.models import (
    Agency,
    Authority,
    Finding,
    Inspection,
    Licence,
    LookupTally,
    PlacementReturn,
    RedFlag,
    Sanction,
    StatisticsSnapshot,
    utcnow,
)
from registry.vocab import SANCTION_TYPES

# the tables, their columns (the CSV header), in the order the page shows them
TABLES = {
    "licences": ("country", "year", "licensed_at_year_end", "issued", "lapsed"),
    "sanctions": ("country", "year", *SANCTION_TYPES),
    "oversight": ("country", "year", "findings", "inspections", "monitoring_visits"),
    "red_flags": (
        "country",
        "year",
        "category",
        "received",
        "substantiated",
        "unsubstantiated",
        "referred",
        "median_days_to_decision",
    ),
    "placements": ("country", "year", "destination", "women", "men", "unspecified", "workers"),
    "lookups": ("month", "lookups", "licensed", "other", "similar", "none"),
}
GONE = ("revoked", "banned")


def _year(column):
    return extract("year", column)


def _rows(session: Session, query) -> list:
    return list(session.execute(query).all())


def _licences(session: Session, on: date) -> dict:
    table: dict = defaultdict(lambda: defaultdict(int))
    for country, year, n in _rows(
        session,
        select(Licence.country, _year(Licence.valid_from), func.count())
        .where(Licence.valid_from.is_not(None))
        .group_by(Licence.country, _year(Licence.valid_from)),
    ):
        table[(country, int(year))]["issued"] += n
    for country, year, n in _rows(
        session,
        select(Licence.country, _year(Licence.valid_until), func.count())
        .where(Licence.valid_until.is_not(None), Licence.valid_until < on)
        .group_by(Licence.country, _year(Licence.valid_until)),
    ):
        table[(country, int(year))]["lapsed"] += n
    years = sorted({y for _c, y in table} | {on.year})
    for year in years:
        end = min(date(year, 12, 31), on)
        for country, n in _rows(
            session,
            select(Licence.country, func.count(distinct(Licence.agency_id)))
            .where(
                or_(Licence.valid_from.is_(None), Licence.valid_from <= end),
                or_(Licence.valid_until.is_(None), Licence.valid_until >= end),
                Licence.status.not_in(GONE) if year == on.year else true(),
            )
            .group_by(Licence.country),
        ):
            table[(country, year)]["licensed_at_year_end"] = n
    return table


def _sanctions(session: Session) -> dict:
    table: dict = defaultdict(lambda: defaultdict(int))
    for country, year, kind, n in _rows(
        session,
        select(Sanction.country, _year(Sanction.starts_on), Sanction.type, func.count())
        .where(Sanction.status == "in_force", Sanction.source_id.is_(None))  # not imported lists
        .group_by(Sanction.country, _year(Sanction.starts_on), Sanction.type),
    ):
        table[(country, int(year))][kind] += n
    return table


def _oversight(session: Session) -> dict:
    table: dict = defaultdict(lambda: defaultdict(int))
    for country, year, n in _rows(
        session,
        select(Authority.country, _year(Finding.decided_on), func.count())
        .join(Authority, Authority.id == Finding.authority_id)
        .group_by(Authority.country, _year(Finding.decided_on)),
    ):
        table[(country, int(year))]["findings"] += n
    for country, year, kind, n in _rows(
        session,
        select(Authority.country, _year(Inspection.visited_on), Inspection.kind, func.count())
        .join(Authority, Authority.id == Inspection.authority_id)
        .group_by(Authority.country, _year(Inspection.visited_on), Inspection.kind),
    ):
        column = "monitoring_visits" if kind == "monitoring_visit" else "inspections"
        table[(country, int(year))][column] += n
    return table


def _red_flags(session: Session) -> list[list]:
    """Red flags by the agency's country, the year received and the category: how many, how
    each was decided, and the median days from the report to its decision."""
    table: dict = defaultdict(lambda: defaultdict(int))
    year = _year(RedFlag.created_at)
    for country, flag_year, category, state, n in _rows(
        session,
        select(Agency.country, year, RedFlag.category, RedFlag.state, func.count())
        .join(Agency, Agency.id == RedFlag.agency_id)
        .group_by(Agency.country, year, RedFlag.category, RedFlag.state),
    ):
        row = table[(country, int(flag_year), category)]
        row["received"] += n
        if state in ("substantiated", "unsubstantiated", "referred"):
            row[state] += n
    waits: dict = defaultdict(list)
    for country, category, created, decided in _rows(
        session,
        select(Agency.country, RedFlag.category, RedFlag.created_at, RedFlag.decided_at)
        .join(Agency, Agency.id == RedFlag.agency_id)
        .where(RedFlag.decided_at.is_not(None))
        .execution_options(yield_per=10_000),
    ):
        days = (decided - created).total_seconds() / 86400
        waits[(country, created.year, category)].append(days)
    columns = TABLES["red_flags"][3:-1]
    found = []
    for key in sorted(table, key=lambda k: (k[0], -k[1], k[2])):
        days = waits.get(key)
        median = round(statistics.median(days), 1) if days else ""
        found.append([*key, *(table[key][c] for c in columns), median])
    return found


def _placements(session: Session) -> list[list]:
    """Workers placed, by the licence's country, year and destination (the returns)."""
    rows = _rows(
        session,
        select(
            Licence.country,
            PlacementReturn.year,
            PlacementReturn.destination,
            func.sum(PlacementReturn.women),
            func.sum(PlacementReturn.men),
            func.sum(PlacementReturn.unspecified),
        )
        .join(Licence, Licence.id == PlacementReturn.licence_id)
        .group_by(Licence.country, PlacementReturn.year, PlacementReturn.destination),
    )
    found = [
        [c, int(y), d, int(w), int(m), int(u), int(w) + int(m) + int(u)]
        for c, y, d, w, m, u in rows
    ]
    return sorted(found, key=lambda r: (r[0], -r[1], r[2]))


def _lookups(session: Session) -> list[list]:
    months: dict = defaultdict(lambda: defaultdict(int))
    for day, outcome, n in _rows(
        session,
        select(LookupTally.day, LookupTally.outcome, func.sum(LookupTally.count)).group_by(
            LookupTally.day, LookupTally.outcome
        ),
    ):
        row = months[day.isoformat()[:7]]
        row["lookups"] += n
        row[outcome] += n
    return [
        [m] + [months[m][c] for c in TABLES["lookups"][1:]] for m in sorted(months, reverse=True)
    ]


def _flatten(name: str, table: dict) -> list[list]:
    columns = TABLES[name][2:]
    return [
        [country, year] + [table[(country, year)].get(c, 0) for c in columns]
        for country, year in sorted(table, key=lambda k: (k[0], -k[1]))
    ]


def compute(session: Session, on: date | None = None) -> dict:
    on = on or today()
    return {
        "on": on.isoformat(),
        "licences": _flatten("licences", _licences(session, on)),
        "sanctions": _flatten("sanctions", _sanctions(session)),
        "oversight": _flatten("oversight", _oversight(session)),
        "red_flags": _red_flags(session),
        "placements": _placements(session),
        "lookups": _lookups(session),
    }


def refresh(engine: Engine, on: date | None = None) -> dict:
    """Compute the statistics and store them for the page (one row, replaced)."""
    with Session(engine) as session:
        data = compute(session, on)
        snapshot = session.get(StatisticsSnapshot, 1) or StatisticsSnapshot(id=1)
        snapshot.data, snapshot.computed_at = json.dumps(data), utcnow()
        session.add(snapshot)
        session.commit()
    return data


def stored(session: Session) -> tuple[dict, object]:
    """The last statistics computed, and when (empty before the first computation)."""
    snapshot = session.get(StatisticsSnapshot, 1)
    if snapshot is None:
        return {name: [] for name in TABLES}, None
    return json.loads(snapshot.data), snapshot.computed_at


def only(data: dict, country: str) -> dict:
    """The statistics of one country (the lookups are the region's)."""
    if not country:
        return data
    return {
        name: rows if name in ("lookups", "on") else [r for r in rows if r[0] == country]
        for name, rows in data.items()
    }
