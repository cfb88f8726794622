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

from flask import Flask, current_app
from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite

from registry.clock import today
from registry.models import LookupTally, SearchedName
from registry.search.matching import name_key

KEEP_DAYS = 90
OUTCOMES = ("licensed", "other", "similar", "none")
LICENSED = ("licensed", "licensed_with_warnings")


class Tally:
    """One process's counts for one app, waiting to be written (`flush`)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tallies: Counter = Counter()  # (day, country, outcome) -> count
        self.names: Counter = Counter()  # (day, name_key, country, outcome) -> count
        self.shown: dict[tuple, tuple[str, int | None]] = {}  # -> (spelling, nearest id)

    def count(self, result, country: str | None, on: date | None = None) -> None:
        day, country, outcome = on or today(), (country or "").upper()[:2], outcome_of(result)
        key = name_key(result.query)[:200] if outcome in ("similar", "none") else ""
        with self.lock:
            self.tallies[(day, country, outcome)] += 1
            if key:
                self.names[(day, key, country, outcome)] += 1
                nearest = result.hits[0].agency.id if result.hits else None
                self.shown.setdefault(
                    (day, key, country, outcome), (result.query.strip()[:200], nearest)
                )

    def pending(self) -> bool:
        return bool(self.tallies)

    def flush(self, engine: Engine) -> int:
        """Add what was counted to the database; returns the lookups written."""
        with self.lock:
            tallies, names, shown = dict(self.tallies), dict(self.names), dict(self.shown)
            self.tallies.clear(), self.names.clear(), self.shown.clear()
        if not tallies:
            return 0
        try:
            _write(engine, tallies, names, shown)
        except Exception:
            with self.lock:  # not lost: written with the next flush
                self.tallies.update(tallies), self.names.update(names)
                for key, value in shown.items():
                    self.shown.setdefault(key, value)
            raise
        return sum(tallies.values())


def outcome_of(result) -> str:
    """The tally's outcome for a registry.search SearchResult."""
    if result.outcome == "match":
        return "licensed" if result.hits[0].verdict.code in LICENSED else "other"
    return "similar" if result.outcome == "similar" else "none"


def of(app: Flask | None = None) -> Tally:
    """The app's tally (one per app and process)."""
    return (app or current_app).extensions.setdefault("registry.tally", Tally())


def count(result, country: str | None) -> None:
    """Count one lookup of the current request (the search page and the API call it)."""
    of().count(result, country)


def flush(engine: Engine, app: Flask | None = None) -> int:
    return of(app).flush(engine)


def _insert(engine: Engine):
    return (postgresql if engine.dialect.name == "postgresql" else sqlite).insert


def _write(engine: Engine, tallies: dict, names: dict, shown: dict) -> None:
    insert = _insert(engine)
    with engine.begin() as connection:
        rows = [
            {"day": d, "country": c, "outcome": o, "count": n} for (d, c, o), n in tallies.items()
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


def prune(engine: Engine, on: date | None = None) -> int:
    """Delete the names searched more than KEEP_DAYS days ago."""
    limit = (on or today()) - timedelta(days=KEEP_DAYS)
    with engine.begin() as connection:
        return connection.execute(delete(SearchedName).where(SearchedName.day < limit)).rowcount
