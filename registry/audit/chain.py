"""Appending to the chain and verifying it.

Each entry's hash covers its content and the previous entry's hash, keyed (HMAC-SHA-256) with the
audit key, which is kept outside the database (REGISTRY_AUDIT_KEY, or instance/audit_key): whoever
can write to the database cannot change an entry, insert one or rewrite the whole chain with
recomputed hashes without it. Removing the last entries (and moving the head back) leaves a
shorter chain that is still valid: `audit-head` prints the head for operators to keep elsewhere
(an anchor), and `verify-audit --anchor` checks that the chain still holds it.

Appending first updates the single audit_head row, which makes concurrent writers (threads,
processes, app servers) wait for each other until commit, on SQLite and PostgreSQL alike, so the
chain never forks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from registry.models import AuditEntry, AuditHead, utcnow

GENESIS = "0" * 64
UNKEYED, KEYED = 1, 2  # audit_head.scheme


def canonical(data: dict[str, Any]) -> str:
    def default(value: Any) -> str:
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return str(value)

    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default
    )


_KEYS: weakref.WeakKeyDictionary[Engine, bytes] = weakref.WeakKeyDictionary()


def use_key(engine: Engine, key: str) -> None:
    """Key the chain of the database behind `engine` (registry.audit.init_app, at start)."""
    _KEYS[engine] = key.encode("utf-8")


def audit_key(session: Session) -> bytes:
    """The key of the chain this session writes to (whatever thread or context it runs in)."""
    return _KEYS[session.get_bind()]


def entry_hash(entry: AuditEntry, key: bytes | None) -> str:
    """HMAC-SHA-256 of the entry's content and the hash before it; plain SHA-256 (a chain of
    scheme 1, not yet rekeyed) when `key` is None."""
    at = entry.at.replace(tzinfo=None).isoformat(timespec="microseconds")
    content = canonical(
        {
            "seq": entry.seq,
            "at": at,
            "actor_id": entry.actor_id,
            "actor": entry.actor,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "agency_id": entry.agency_id,
            "before": entry.before,
            "after": entry.after,
        }
    )
    message = (entry.prev_hash + content).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _key_for(session: Session, head: AuditHead) -> bytes | None:
    return audit_key(session) if head.scheme == KEYED else None


def append(
    session: Session,
    *,
    actor: str,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    agency_id: int | None,
    before: dict,
    after: dict,
) -> AuditEntry:
    """Add one entry in the caller's transaction (it is committed, or rolled back, with it)."""
    return append_many(
        session,
        [
            dict(
                actor=actor,
                actor_id=actor_id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                agency_id=agency_id,
                before=before,
                after=after,
            )
        ],
    )[-1]


def append_many(session: Session, entries: list[dict]) -> list[AuditEntry]:
    """Add entries (each with append's keywords) in one move of the head: an import audits
    every agency it changes at the cost of one entry a chunk."""
    if not entries:
        return []
    session.exec(
        update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + len(entries))
    )
    head_row = session.exec(
        select(AuditHead).where(AuditHead.id == 1).execution_options(populate_existing=True)
    ).one()
    key, at = _key_for(session, head_row), utcnow()
    previous, written = head_row.last_hash, []
    for seq, fields in enumerate(entries, start=head_row.seq - len(entries) + 1):
        entry = AuditEntry(
            seq=seq,
            at=at,
            actor=fields["actor"],
            actor_id=fields["actor_id"],
            action=fields["action"],
            entity=fields["entity"],
            entity_id=fields["entity_id"],
            agency_id=fields["agency_id"],
            before=canonical(fields["before"]),
            after=canonical(fields["after"]),
            prev_hash=previous,
            hash="",
        )
        entry.hash = previous = entry_hash(entry, key)
        written.append(entry)
    head_row.last_hash = previous
    session.add_all([*written, head_row])
    session.flush()
    return written


@dataclass
class Problem:
    seq: int
    message: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.message}"


def _entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.exec(
            select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


@dataclass
class Anchor:
    """A point of the chain kept elsewhere: the entry `seq` had this hash."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        seq, _, digest = text.strip().partition(":")
        if not seq.isascii() or not seq.isdigit() or len(digest) != 64:
            raise ValueError("an anchor is SEQ:HASH, as `audit-head` prints it")
        return cls(int(seq), digest.lower())

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def head(session: Session) -> tuple[Anchor, datetime | None]:
    """The chain's last entry, as an anchor to keep outside the database, and its time."""
    found = session.get(AuditHead, 1)
    last = (
        session.exec(select(AuditEntry).where(AuditEntry.seq == found.seq)).first()
        if found is not None and found.seq
        else None
    )
    return Anchor(found.seq if found else 0, found.last_hash if found else GENESIS), (
        last.at if last else None
    )


def verify(session: Session, anchors: Iterable[Anchor] = ()) -> tuple[int, list[Problem]]:
    """Walk the chain; return how many entries were checked and every problem found. Each
    anchor must still be in it, with its hash."""
    problems: list[Problem] = []
    head_row = session.get(AuditHead, 1)
    key = _key_for(session, head_row) if head_row is not None else audit_key(session)
    wanted = {a.seq: a.hash for a in anchors}
    previous_hash, expected_seq, count = GENESIS, 1, 0
    for entry in _entries(session):
        count += 1
        if entry.seq != expected_seq:
            problems.append(
                Problem(entry.seq, f"entries {expected_seq}..{entry.seq - 1} are missing")
            )
        if entry.prev_hash != previous_hash:
            problems.append(Problem(entry.seq, "does not follow the entry before it"))
        if not hmac.compare_digest(entry_hash(entry, key), entry.hash):
            problems.append(Problem(entry.seq, "its content was changed after it was written"))
        if entry.seq in wanted and wanted.pop(entry.seq) != entry.hash:
            problems.append(Problem(entry.seq, "differs from the anchor kept for it"))
        previous_hash, expected_seq = entry.hash, entry.seq + 1
    for seq in sorted(wanted):
        problems.append(
            Problem(
                seq,
                "an anchor was kept for it, but the chain ends at entry "
                f"{expected_seq - 1}: the entries after were removed",
            )
        )
    if head_row is not None and (
        head_row.seq != expected_seq - 1 or head_row.last_hash != previous_hash
    ):
        problems.append(Problem(head_row.seq, "the last entries were removed"))
    return count, problems


def rekey(session: Session) -> int | None:
    """Rehash a chain written before the audit key (scheme 1) with the key, once it verifies;
    the caller commits. Returns how many entries were rekeyed (None: already keyed). Whatever
    was changed before this point without a trace stays undetectable, as it was; from here on a
    rewrite needs the key."""
    head_row = session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    if head_row.scheme == KEYED:
        return None
    count, problems = verify(session)
    if problems:
        raise ValueError(
            f"the audit chain is broken ({len(problems)} problem(s)); it was not "
            "rekeyed: " + "; ".join(map(str, problems[:5]))
        )
    key, previous = audit_key(session), GENESIS
    unkeyed_head = head_row.last_hash
    for entry in _entries(session):
        entry.prev_hash = previous
        entry.hash = previous = entry_hash(entry, key)
        session.add(entry)
    head_row.scheme, head_row.last_hash = KEYED, previous
    session.add(head_row)
    session.flush()
    append(
        session,
        actor="cli",
        actor_id=None,
        action="audit.rekey",
        entity="audit_entry",
        entity_id=None,
        agency_id=None,
        before={"scheme": UNKEYED, "head": unkeyed_head},
        after={"scheme": KEYED, "entries": count},
    )
    return count
