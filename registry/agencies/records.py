"""Loading an agency's public record and its verdict."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from registry.models import Agency, Finding, Licence, Sanction
from registry.verdict import Verdict, evaluate


def _verdict_records():
    """What a verdict and its reasons read: licences, sanctions and findings with their
    authorities (joined: one query each), red flags."""
    return (
        selectinload(Agency.red_flags),
        selectinload(Agency.licences).joinedload(Licence.authority),
        selectinload(Agency.sanctions).joinedload(Sanction.authority),
        selectinload(Agency.sanctions).joinedload(Sanction.source),
        selectinload(Agency.findings).joinedload(Finding.authority),
    )


def full_record_query():
    """An agency with every record the public page and the verdict need."""
    return select(Agency).options(
        selectinload(Agency.names),
        selectinload(Agency.contacts),
        selectinload(Agency.corridors),
        selectinload(Agency.representatives),
        *_verdict_records(),
    )


def load_full(session: Session, agency_ids: list[int]) -> dict[int, Agency]:
    rows = session.exec(full_record_query().where(Agency.id.in_(agency_ids))).all()
    return {a.id: a for a in rows}


def verdict_for(agency: Agency, on: date) -> Verdict:
    return evaluate(
        licences=agency.licences,
        sanctions=agency.sanctions,
        findings=agency.findings,
        red_flags=agency.red_flags,
        on=on,
    )


def primary_licence(agency: Agency) -> Licence | None:
    """The licence to show beside the name: the one valid longest, else the latest."""
    if not agency.licences:
        return None
    return max(
        agency.licences, key=lambda lic: (lic.status == "active", lic.valid_until or date.max)
    )


def public_sanctions(agency: Agency) -> list[Sanction]:
    """Sanctions the public sees, newest first: not those awaiting a second regulator."""
    return sorted(
        (s for s in agency.sanctions if s.status == "in_force"),
        key=lambda s: s.starts_on,
        reverse=True,
    )


def is_public(agency: Agency) -> bool:
    """Reported names that no regulator has reviewed yet stay out of public view."""
    return agency.listing == "registry"
