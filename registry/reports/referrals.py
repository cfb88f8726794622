"""Red flags referred across borders: the authority that reviews a red flag (its agency's
country's licensing regulator) passes it, with a note, to a named authority of another country;
that authority finds it in its queue and accepts it (it will act on it) or declines it, with a
note. Both see the trail; every step is audited. The caller commits.

What the receiving authority reads of the red flag: the agency, the category, the account and
the evidence, never the reporter's name or contact (registry.permissions, templates)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlmodel import Session, select

from registry.alerts import notices
from registry.audit.changes import fields, record
from registry.models import Authority, RedFlag, Referral, User, utcnow
from registry.permissions import authority_id_of
from registry.regulation.operations import RuleBroken, authorize

REFERRAL_FIELDS = (
    "red_flag_id",
    "from_authority_id",
    "to_authority_id",
    "note",
    "state",
    "answer",
)


ANSWERS = ("accepted", "declined")


def destinations(session: Session, actor: User) -> list[Authority]:
    """The authorities a regulator may refer to: those of other countries, by country and
    name."""
    own = actor.authority.country if actor.authority is not None else ""
    return list(
        session.exec(
            select(Authority)
            .where(Authority.country != own, Authority.kind != "register")
            .order_by(Authority.country, Authority.name)
        ).all()
    )


def refer(
    session: Session, *, actor: User, flag: RedFlag, to_authority_id: int, note: str
) -> Referral:
    authorize(actor, "red_flag.refer", flag)
    target = session.get(Authority, to_authority_id)
    if target is None or target.country == actor.authority.country:
        raise RuleBroken(_l("choose an authority of another country"))
    if not note.strip():
        raise RuleBroken(_l("say in a note why you refer it and what you ask"))
    if any(r.to_authority_id == target.id and r.state == "pending" for r in flag.referrals):
        raise RuleBroken(_l("this red flag already waits for that authority's answer"))
    referral = Referral(
        red_flag_id=flag.id,
        from_authority_id=actor.authority_id,
        to_authority_id=target.id,
        note=note.strip(),
        referred_by_id=actor.id,
    )
    session.add(referral)
    session.flush()
    record(
        session,
        by=actor,
        action="red_flag.refer",
        obj=referral,
        agency_id=flag.agency_id,
        before={},
        after=fields(referral, REFERRAL_FIELDS),
    )
    notices.tell(
        session,
        authorities=[target],
        kind="referral",
        message=notices.REFERRED,
        params={
            "authority": actor.authority.name,
            "country": actor.authority.country,
            "agency": flag.agency.name,
            "note": referral.note,
        },
        link=f"/manage/referrals/{referral.id}",
        agency_id=flag.agency_id,
    )
    return referral


def decide(session: Session, *, actor: User, referral: Referral, answer: str, note: str) -> None:
    """Accept or decline a referral received by the actor's authority."""
    authorize(actor, "referral.decide", referral)
    if referral.state != "pending":
        raise RuleBroken(_l("this referral has already been answered"))
    if answer not in ANSWERS:
        raise RuleBroken(_l("accept or decline the referral"))
    if answer == "declined" and not note.strip():
        raise RuleBroken(_l("say why you decline it"))
    before = fields(referral, REFERRAL_FIELDS)
    referral.state, referral.answer = answer, note.strip()
    referral.decided_by_id, referral.decided_at = actor.id, utcnow()
    session.add(referral)
    session.flush()
    action = "referral.accept" if answer == "accepted" else "referral.decline"
    record(
        session,
        by=actor,
        action=action,
        obj=referral,
        agency_id=referral.red_flag.agency_id,
        before=before,
        after=fields(referral, REFERRAL_FIELDS),
    )


def involving(authority_id: int | None):
    """The referrals an authority sent or received, newest first, as a query."""
    return (
        select(Referral)
        .where(
            or_(
                Referral.to_authority_id == authority_id,
                Referral.from_authority_id == authority_id,
            )
        )
        .order_by(Referral.state != "pending", Referral.created_at.desc(), Referral.id.desc())
    )


def received_by(user: User, flag: RedFlag) -> bool:
    """Has the user's authority received this red flag by a referral?"""
    mine = authority_id_of(user)
    return mine is not None and any(r.to_authority_id == mine for r in flag.referrals)
