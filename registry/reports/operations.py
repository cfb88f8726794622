"""Submitting and reviewing red flags. The caller commits once."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from registry.alerts import notices
from registry.audit.chain import append
from registry.models import Agency, EvidenceContent, EvidenceFile, RedFlag, User, utcnow
from registry.permissions import can
from registry.regulation.operations import PermissionDenied, RuleBroken, authorize
from registry.reports import routing
from registry.reports.evidence import MAX_FILES, accept
from registry.search.matching import name_key
from registry.vocab import RED_FLAG_CATEGORIES, RED_FLAG_STATES

# received -> under review -> substantiated / unsubstantiated / referred
TRANSITIONS = {
    "received": ("under_review", "unsubstantiated"),
    "under_review": ("substantiated", "unsubstantiated", "referred"),
    "referred": ("substantiated", "unsubstantiated"),
    "substantiated": (),
    "unsubstantiated": ("under_review",),
}
_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def receipt_hash(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()


def reported_entity(session: Session, *, name: str, country: str, kind: str = "agency") -> Agency:
    """The 'unlicensed, reported' entity for a name in no register (one per name and country)."""
    key = name_key(name)
    found = session.exec(
        select(Agency).where(
            Agency.name_key == key, Agency.country == country, Agency.listing == "reported"
        )
    ).first()
    if found is not None:
        return found
    agency = Agency(name=name, name_key=key, country=country, kind=kind, listing="reported")
    session.add(agency)
    session.flush()
    return agency


def submit(
    session: Session,
    *,
    reporter: User | None,
    agency: Agency,
    category: str,
    description: str,
    occurred_on: date | None = None,
    place: str = "",
    contact: str = "",
    files: Iterable[tuple[str, bytes]] = (),
) -> tuple[RedFlag, str | None]:
    """File a red flag; an anonymous reporter gets a receipt code (returned once, never stored)."""
    if reporter is not None and not can(reporter, "red_flag.submit"):
        raise PermissionDenied("red_flag.submit")
    files = list(files)
    if len(files) > MAX_FILES:
        raise RuleBroken(_l("at most %(count)d files", count=MAX_FILES))
    code = new_receipt_code() if reporter is None else None
    flag = RedFlag(
        agency_id=agency.id,
        category=category,
        description=description,
        occurred_on=occurred_on,
        place=place,
        contact=contact,
        reporter_type="public" if reporter is None else reporter.role,
        reporter_name="" if reporter is None else reporter.organisation,
        submitted_by_id=reporter.id if reporter else None,
        receipt_hash=receipt_hash(code) if code else None,
    )
    session.add(flag)
    session.flush()
    for original_name, data in files:
        stored = EvidenceFile(red_flag_id=flag.id, **accept(original_name, data).__dict__)
        session.add(stored)
        session.flush()
        session.add(EvidenceContent(evidence_file_id=stored.id, data=data))
    append(
        session,
        actor=reporter.email if reporter else "public",
        actor_id=reporter.id if reporter else None,
        action="red_flag.submit",
        entity="red_flag",
        entity_id=flag.id,
        agency_id=agency.id,
        before={},
        after={"category": category, "state": "received", "files": len(files)},
    )
    notices.tell(
        session,
        authorities=routing.reviewers(session, agency.country),
        kind="red_flag",
        message=notices.FLAGGED,
        params={"agency": agency.name, "category_label": RED_FLAG_CATEGORIES[category]},
        link=f"/manage/red-flags/{flag.id}",
        agency_id=agency.id,
    )
    return flag, code


DECIDED = ("substantiated", "unsubstantiated", "referred")  # the end of a review


def review(
    session: Session, *, actor: User, flag: RedFlag, state: str, public_summary: str, lang: str = ""
) -> None:
    """Move a red flag along its lifecycle; a substantiated one needs a public summary."""
    agency = session.get(Agency, flag.agency_id)
    authorize(actor, "red_flag.review", flag)
    if state not in TRANSITIONS.get(flag.state, ()):
        raise RuleBroken(
            _l(
                "a red flag cannot go from “%(current)s” to “%(wanted)s”",
                current=_l(RED_FLAG_STATES[flag.state]),
                wanted=_l(RED_FLAG_STATES.get(state, state)),
            )
        )
    if state == "substantiated" and not public_summary.strip():
        raise RuleBroken(_l("write the public summary before substantiating"))
    before = {"state": flag.state, "public_summary": flag.public_summary}
    flag.state, flag.public_summary = state, public_summary.strip()
    flag.lang = lang if flag.public_summary else ""
    flag.reviewed_by_id, flag.updated_at = actor.id, utcnow()
    if state in DECIDED and flag.decided_at is None:
        flag.decided_at = flag.updated_at
    session.add(flag)
    if state == "substantiated" and agency.listing == "reported":
        agency.listing = "registry"  # a reviewed report about an unlicensed name becomes public
        session.add(agency)
    session.flush()
    append(
        session,
        actor=actor.email,
        actor_id=actor.id,
        action="red_flag.review",
        entity="red_flag",
        entity_id=flag.id,
        agency_id=agency.id,
        before=before,
        after={"state": flag.state, "public_summary": flag.public_summary},
    )
