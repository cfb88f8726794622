"""After a sanction is imposed: lifting it and recording its appeal, each a dated event.

An event on a sanction that needed a second regulator (a revocation or a ban, FOUR_EYES) waits
for one of the same authority as the sanction did, and changes nothing until confirmed; on any
other sanction it applies at once. Applying an event changes the sanction (`lifted_on`,
`appeal_state`); the verdict reads those (registry.verdict), so the licence the sanction acted
on is active again from the day it is lifted or overturned. The caller commits once.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from registry.audit.changes import fields, record
from registry.models import Licence, Sanction, SanctionEvent, User
from registry.regulation.operations import (
    FOUR_EYES,
    LICENCE_FIELDS,
    RuleBroken,
    authorize,
)

EVENT_FIELDS = ("kind", "on", "reason", "status")
# appeal state -> the appeal events that may follow it
APPEALS = {
    "none": ("appeal_lodged",),
    "pending": ("appeal_upheld", "appeal_overturned"),
    "upheld": (),
    "overturned": (),
}


def _audited(sanction: Sanction, event: SanctionEvent) -> dict:
    return {
        **fields(event, EVENT_FIELDS),
        "sanction_id": sanction.id,
        "type": sanction.type,
        "decision_ref": sanction.decision_ref,
    }


def _check(sanction: Sanction, kind: str, on: date) -> None:
    if sanction.status != "in_force":
        raise RuleBroken(
            _l("this sanction is not in force yet: a second regulator must confirm it first")
        )
    if any(e.status == "awaiting_confirmation" for e in sanction.events):
        raise RuleBroken(_l("a change to this sanction is already waiting for a second regulator"))
    if on < sanction.starts_on:
        raise RuleBroken(_l("the date cannot be before the sanction starts"))
    if kind == "lifted":
        if sanction.lifted_on is not None:
            raise RuleBroken(_l("this sanction is already lifted"))
        if sanction.appeal_state == "overturned":
            raise RuleBroken(_l("this sanction was overturned on appeal"))
        if sanction.ends_on is not None and on > sanction.ends_on:
            raise RuleBroken(_l("this sanction has already ended"))
    elif kind not in APPEALS.get(sanction.appeal_state, ()):
        raise RuleBroken(_l("an appeal must be lodged before it is decided, and decided once"))


def record_event(
    session: Session, *, actor: User, sanction: Sanction, kind: str, on: date, reason: str
) -> SanctionEvent:
    """Lift a sanction (kind "lifted") or record its appeal; a reason is required."""
    authorize(actor, "sanction.end", sanction)
    if not reason.strip():
        raise RuleBroken(_l("give the reason"))
    _check(sanction, kind, on)
    waits = sanction.type in FOUR_EYES
    event = SanctionEvent(
        sanction_id=sanction.id,
        kind=kind,
        on=on,
        reason=reason.strip(),
        status="awaiting_confirmation" if waits else "in_force",
        proposed_by_id=actor.id,
    )
    session.add(event)
    sanction.events.append(event)
    session.flush()
    if waits:
        record(
            session,
            by=actor,
            action="sanction.propose_" + kind,
            obj=event,
            agency_id=sanction.agency_id,
            before={},
            after=_audited(sanction, event),
        )
    else:
        _apply(session, actor, sanction, event)
    return event


def confirm_event(session: Session, *, actor: User, event: SanctionEvent) -> None:
    """The second pair of eyes on a change to a revocation or a ban."""
    sanction = session.get(Sanction, event.sanction_id)
    authorize(actor, "sanction.confirm", sanction)
    if event.status != "awaiting_confirmation":
        raise RuleBroken(_l("this change is not awaiting confirmation"))
    if actor.id == event.proposed_by_id:
        raise RuleBroken(_l("a second regulator must confirm: you proposed this change"))
    event.status, event.confirmed_by_id = "in_force", actor.id
    session.add(event)
    _apply(session, actor, sanction, event)


def _apply(session: Session, actor: User, sanction: Sanction, event: SanctionEvent) -> None:
    before = fields(sanction, ("lifted_on", "lift_reason", "appeal_state"))
    if event.kind == "lifted":
        sanction.lifted_on, sanction.lift_reason = event.on, event.reason
    else:
        sanction.appeal_state = {
            "appeal_lodged": "pending",
            "appeal_upheld": "upheld",
            "appeal_overturned": "overturned",
        }[event.kind]
    session.add(sanction)
    session.flush()
    record(
        session,
        by=actor,
        action="sanction." + event.kind,
        obj=sanction,
        agency_id=sanction.agency_id,
        before=before,
        after=_audited(sanction, event),
    )
    if event.kind in ("lifted", "appeal_overturned"):
        _reinstate_licence(session, actor, sanction)


def _reinstate_licence(session: Session, actor: User, sanction: Sanction) -> None:
    """A revocation or ban confirmed on a named licence marked it revoked or banned
    (operations.confirm_sanction); once it is lifted or overturned the licence is active again
    (its validity dates still apply)."""
    licence = session.get(Licence, sanction.licence_id) if sanction.licence_id else None
    if licence is None or licence.status not in ("revoked", "banned"):
        return
    before = fields(licence, LICENCE_FIELDS)
    licence.status = "active"
    session.add(licence)
    session.flush()
    record(
        session,
        by=actor,
        action="licence.reinstate",
        obj=licence,
        agency_id=licence.agency_id,
        before=before,
        after=fields(licence, LICENCE_FIELDS),
    )
