"""Auditing a change to a record: the one way operations write to the audit chain.

`record` takes the acting account (or, for the command line and imports, a name such as
`cli:alice`) and the record changed; `fields` takes the values an entry keeps of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from registry.audit.chain import append
from registry.models import AuditEntry, User


def fields(obj: Any, names: Iterable[str]) -> dict:
    """The values of `names` on `obj`, as the entry's before or after."""
    return {n: getattr(obj, n) for n in names}


def record(
    session: Session,
    *,
    by: User | str,
    action: str,
    obj: Any,
    agency_id: int | None,
    before: dict,
    after: dict,
) -> AuditEntry:
    """One entry for `action` on `obj` (its table and id), in the caller's transaction."""
    return append(
        session,
        actor=by if isinstance(by, str) else by.email,
        actor_id=None if isinstance(by, str) else by.id,
        action=action,
        entity=type(obj).__tablename__,
        entity_id=obj.id,
        agency_id=agency_id,
        before=before,
        after=after,
    )
