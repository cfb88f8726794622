"""How many anonymous reports one connection may send a day, counted so that no report and no
address can ever be recovered from what is kept.

Each day has a random key (daily_key), shared by every app server through the database. An
address is counted under HMAC(the day's key, address) in a counter (report_counter): a number,
never a row per report, and with no time of its own. When a new day begins, the earlier days'
keys and counters are deleted: from then on nobody, not even whoever holds the database and
every secret, can tell which address sent anything. During the day, the key lets one test
whether a given address reported today, never which report it sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from registry.clock import today
from registry.models import DailyKey, ReportCounter

PUBLIC_REPORTS_PER_DAY = 5


def _day_key(session: Session, day: date) -> bytes:
    """Today's key, made by the first report of the day (which also forgets the days before)."""
    found = session.get(DailyKey, day)
    if found is None:
        try:
            with session.begin_nested():
                session.add(DailyKey(day=day, key=secrets.token_hex(32)))
        except IntegrityError:  # another server made it first: theirs is the key
            pass
        session.exec(delete(ReportCounter).where(ReportCounter.day < day))
        session.exec(delete(DailyKey).where(DailyKey.day < day))
        found = session.get(DailyKey, day)
    return found.key.encode("ascii")


def _counter_key(session: Session, address: str, day: date) -> str:
    return hmac.new(_day_key(session, day), address.encode("utf-8"), hashlib.sha256).hexdigest()


def allowed(session: Session, *, address: str) -> bool:
    """May this address send one more anonymous report today?"""
    day = today()
    counter = session.get(ReportCounter, _counter_key(session, address, day))
    return counter is None or counter.count < PUBLIC_REPORTS_PER_DAY


def _bump(session: Session, key: str) -> int:
    return session.exec(
        update(ReportCounter).where(ReportCounter.key == key).values(count=ReportCounter.count + 1)
    ).rowcount


def count(session: Session, *, address: str) -> None:
    """Count one report from this address, in the report's transaction."""
    day = today()
    key = _counter_key(session, address, day)
    if _bump(session, key):
        return
    try:
        with session.begin_nested():
            session.add(ReportCounter(key=key, day=day, count=1))
    except IntegrityError:  # the same address, at the same moment, on another server
        _bump(session, key)
