"""Appending to the chain and verifying it.

Each entry's hash covers its content and the previous entry's hash. Appending first updates the
single audit_head row, which makes concurrent writers (threads, processes, app servers) wait for
each other until commit, on SQLite and PostgreSQL alike, so the chain never forks.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterator

from sqlalchemy import update
from sqlmodel import Session, select

from registry.models import AuditEntry, AuditHead, utcnow

GENESIS = "0" * 64


def canonical(data: dict[str, Any]) -> str:
    def default(value: Any) -> str:
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return str(value)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=default)


def entry_hash(entry: AuditEntry) -> str:
    at = entry.at.replace(tzinfo=None).isoformat(timespec="microseconds")
    content = canonical({"seq": entry.seq, "at": at, "actor_id": entry.actor_id,
                         "actor": entry.actor, "action": entry.action, "entity": entry.entity,
                         "entity_id": entry.entity_id, "agency_id": entry.agency_id,
                         "before": entry.before, "after": entry.after})
    return hashlib.sha256((entry.prev_hash + content).encode("utf-8")).hexdigest()


def append(session: Session, *, actor: str, actor_id: int | None, action: str, entity: str,
           entity_id: int | None, agency_id: int | None, before: dict, after: dict) -> AuditEntry:
    """Add one entry in the caller's transaction (it is committed, or rolled back, with it)."""
    session.exec(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1))
    head = session.exec(select(AuditHead).where(AuditHead.id == 1)
                        .execution_options(populate_existing=True)).one()
    entry = AuditEntry(seq=head.seq, at=utcnow(), actor=actor, actor_id=actor_id, action=action,
                       entity=entity, entity_id=entity_id, agency_id=agency_id,
                       before=canonical(before), after=canonical(after),
                       prev_hash=head.last_hash, hash="")
    entry.hash = entry_hash(entry)
    head.last_hash = entry.hash
    session.add_all([entry, head])
    session.flush()
    return entry


@dataclass
class Problem:
    seq: int
    message: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.message}"


def _entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.exec(select(AuditEntry).where(AuditEntry.seq > last)
                            .order_by(AuditEntry.seq).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(session: Session) -> tuple[int, list[Problem]]:
    """Walk the chain; return how many entries were checked and every problem found."""
    problems: list[Problem] = []
    previous_hash, expected_seq, count = GENESIS, 1, 0
    for entry in _entries(session):
        count += 1
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, f"entries {expected_seq}..{entry.seq - 1} are "
                                               "missing"))
        if entry.prev_hash != previous_hash:
            problems.append(Problem(entry.seq, "does not follow the entry before it"))
        if entry_hash(entry) != entry.hash:
            problems.append(Problem(entry.seq, "its content was changed after it was written"))
        previous_hash, expected_seq = entry.hash, entry.seq + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.last_hash != previous_hash):
        problems.append(Problem(head.seq, "the last entries were removed"))
    return count, problems
