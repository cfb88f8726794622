"""Counting lookups without slowing them: each process adds to counters in memory, and the
background worker adds them to the database every few seconds (`flush`, one statement per
table). What is counted: per day, the country filter chosen and the outcome (a licensed agency
found, another agency found, look-alikes only, nothing); and, for the names that found nothing
or only look-alikes, the name's normal form. Never who looked, from where, or anything else
they typed. A process that dies loses at most its last few seconds of counts.

Detail by name is kept KEEP_DAYS days (`prune`); the daily counts by outcome are kept."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite

from registry.clock import today
from registry.models import LookupTally, SearchedName
from registry.search.matching import name_key

KEEP_DAYS = 90
OUTCOMES = ("licensed", "other", "similar", "none")
LICENSED = ("licensed", "licensed_with_warnings")

_lock = threading.Lock()
_tallies: Counter = Counter()  # (day, country, outcome) -> count
_names: Counter = Counter()  # (day, name_key, country, outcome) -> count
_shown: dict[tuple, tuple[str, int | None]] = {}  # name key -> (spelling, nearest agency id)


def outcome_of(result) -> str:
    """The tally's outcome for a registry.search SearchResult."""
    if result.outcome == "match":
        return "licensed" if result.hits[0].verdict.code in LICENSED else "other"
    return "similar" if result.outcome == "similar" else "none"


def count(result, country: str | None, on: date | None = None) -> None:
    """Count one lookup (called by the search page and the API)."""
    day, country, outcome = on or today(), (country or "").upper()[:2], outcome_of(result)
    key = name_key(result.query)[:200] if outcome in ("similar", "none") else ""
    with _lock:
        _tallies[(day, country, outcome)] += 1
        if key:
            _names[(day, key, country, outcome)] += 1
            nearest = result.hits[0].agency.id if result.hits else None
            _shown.setdefault((day, key, country, outcome), (result.query.strip()[:200], nearest))


def _insert(engine: Engine):
    return (postgresql if engine.dialect.name == "postgresql" else sqlite).insert


def flush(engine: Engine) -> int:
    """Add what this process counted to the database; returns the lookups written."""
    with _lock:
        tallies, names, shown = dict(_tallies), dict(_names), dict(_shown)
        _tallies.clear(), _names.clear(), _shown.clear()
    if not tallies:
        return 0
    insert = _insert(engine)
    try:
        with engine.begin() as connection:
            rows = [
                {"day": d, "country": c, "outcome": o, "count": n}
                for (d, c, o), n in tallies.items()
            ]
            add = insert(LookupTally).values(rows)
            connection.execute(
                add.on_conflict_do_update(
                    index_elements=["day", "country", "outcome"],
                    set_={"count": LookupTally.count + add.excluded.count},
                )
            )
            if names:
                rows = [
                    {
                        "day": d,
                        "name_key": k,
                        "country": c,
                        "outcome": o,
                        "count": n,
                        "shown": shown[(d, k, c, o)][0],
                        "nearest_id": shown[(d, k, c, o)][1],
                    }
                    for (d, k, c, o), n in names.items()
                ]
                add = insert(SearchedName).values(rows)
                connection.execute(
                    add.on_conflict_do_update(
                        index_elements=["day", "name_key", "country", "outcome"],
                        set_={"count": SearchedName.count + add.excluded.count},
                    )
                )
    except Exception:
        with _lock:  # not lost: counted again with the next flush
            _tallies.update(tallies), _names.update(names)
            for key, value in shown.items():
                _shown.setdefault(key, value)
        raise
    return sum(tallies.values())


def prune(engine: Engine, on: date | None = None) -> int:
    """Delete the names searched more than KEEP_DAYS days ago."""
    limit = (on or today()) - timedelta(days=KEEP_DAYS)
    with engine.begin() as connection:
        return connection.execute(delete(SearchedName).where(SearchedName.day < limit)).rowcount


def pending() -> bool:
    return bool(_tallies)
