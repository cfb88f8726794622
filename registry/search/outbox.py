"""Record, in the same transaction as a change, which agencies the index must rewrite.

A session event notices every added, changed or deleted agency record (and the records hanging
off an agency), bumps the agency's `updated_at` and writes an IndexOutbox row. The index is thus fed
from what was committed, and a crash between the commit and the indexing loses nothing.
"""

from __future__ import annotations

from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from registry.models import (
    Agency,
    AgencyContact,
    AgencyName,
    Finding,
    IndexOutbox,
    Inspection,
    Licence,
    RedFlag,
    Representative,
    Sanction,
    utcnow,
)

_CHILDREN = (
    AgencyName,
    AgencyContact,
    Representative,
    Licence,
    Sanction,
    RedFlag,
    Finding,
    Inspection,
)
_TOUCHED = "registry.touched_agencies"


def _agency_of(session: Session, obj) -> Agency | None:
    if isinstance(obj, Agency):
        return obj
    if getattr(obj, "agency", None) is not None:
        return obj.agency
    if obj.agency_id is not None:
        with session.no_autoflush:
            return session.get(Agency, obj.agency_id)
    return None


def _before_flush(session: Session, _context, _instances) -> None:
    touched = session.info.setdefault(_TOUCHED, {})  # id(agency) -> agency
    now = utcnow()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, (Agency, *_CHILDREN)):
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        agency = _agency_of(session, obj)
        if agency is None:
            continue
        touched[id(agency)] = agency
        if agency not in session.deleted:
            agency.updated_at = now


def _after_flush(session: Session, _context) -> None:
    touched = session.info.pop(_TOUCHED, {})
    ids = sorted({a.id for a in touched.values() if a.id is not None})
    if ids:
        session.connection().execute(
            insert(IndexOutbox), [{"agency_id": i, "created_at": utcnow()} for i in ids]
        )


def register() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
