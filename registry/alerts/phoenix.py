"""Phoenix firms: a banned or revoked agency that comes back under a new name. When a regulator
records a new agency or changes one, its name, phones, websites, e-mail domains (the lookup's own
matching, so "S.A. de C.V." or a typo makes no difference) and representatives are compared
with the agencies banned or revoked anywhere in the region; what resembles one is flagged on
the manage page and to the regulators concerned with either agency (registry.alerts.notices)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from registry.agencies.records import load_full, verdict_for
from registry.alerts import notices
from registry.clock import today
from registry.models import Agency, Notice, Representative
from registry.search import lookup
from registry.vocab import N_, VERDICTS

GONE = ("banned", "revoked")
REASONS = {
    "name": N_("name"),
    "phone": N_("phone"),
    "website": N_("website"),
    "email": N_("e-mail domain"),
    "representative": N_("representative"),
}
STRONG = ("exact", "strong")  # matches the lookup calls "this is the agency you typed"


@dataclass
class Resemblance:
    agency_id: int
    name: str
    verdict: str
    reasons: list[str] = field(default_factory=list)


def _by_lookup(agency: Agency, found: dict[int, Resemblance]) -> None:
    names = [agency.name] + [n.name for n in agency.names if n.type != "former"]
    probes = [("name", n) for n in names] + [
        (kind, value)
        for kind, contact in (("phone", "phone"), ("website", "website"), ("email", "email"))
        for value in agency.contact_values(contact)
    ]
    for reason, text in probes:
        for hit in lookup(text, limit=5).hits:
            if hit.agency.id == agency.id or hit.match not in STRONG:
                continue
            if hit.verdict.code in GONE:
                entry = found.setdefault(
                    hit.agency.id, Resemblance(hit.agency.id, hit.agency.name, hit.verdict.code)
                )
                if reason not in entry.reasons:
                    entry.reasons.append(reason)


def _by_representative(session: Session, agency: Agency, found: dict[int, Resemblance]) -> None:
    people = {r.name.strip().lower() for r in agency.representatives if r.name.strip()}
    if not people:
        return
    others = session.exec(
        select(Representative.agency_id).where(
            func.lower(func.trim(Representative.name)).in_(people),
            Representative.agency_id != agency.id,
        )
    ).all()
    for other in load_full(session, sorted(set(others))).values():
        verdict = verdict_for(other, today()).code
        if verdict in GONE:
            entry = found.setdefault(other.id, Resemblance(other.id, other.name, verdict))
            if "representative" not in entry.reasons:
                entry.reasons.append("representative")


def resemblances(session: Session, agency: Agency) -> list[Resemblance]:
    """The banned or revoked agencies this one resembles, and in what."""
    found: dict[int, Resemblance] = {}
    _by_lookup(agency, found)
    _by_representative(session, agency, found)
    return sorted(found.values(), key=lambda r: r.agency_id)


def _already_told(session: Session, agency_id: int) -> set[int]:
    """The agencies the regulators were already told this one resembles (no repeat on each edit)."""
    told = session.exec(
        select(Notice.params).where(Notice.kind == "phoenix", Notice.agency_id == agency_id)
    ).all()
    return {json.loads(params).get("other_id") for params in told}


def flag(session: Session, *, agency: Agency, acting_authority_id: int | None) -> list[Resemblance]:
    """Tell the regulators concerned with the agency, or with the one it resembles, of each
    resemblance they were not told of yet (the caller commits). Returns every resemblance."""
    found = resemblances(session, agency)
    told = _already_told(session, agency.id) if found else set()
    for resemblance in found:
        if resemblance.agency_id in told:
            continue
        other = session.get(Agency, resemblance.agency_id)
        authorities = {a.id: a for a in notices.concerned(session, agency)}
        authorities.update((a.id, a) for a in notices.concerned(session, other))
        notices.tell(
            session,
            authorities=list(authorities.values()),
            kind="phoenix",
            message=notices.PHOENIX,
            params={
                "agency": agency.name,
                "other": resemblance.name,
                "other_id": resemblance.agency_id,
                "other_verdict_label": VERDICTS[resemblance.verdict],
                "reasons_labels": [REASONS[r] for r in resemblance.reasons],
            },
            link=f"/manage/agencies/{agency.id}",
            agency_id=agency.id,
            acting_authority_id=acting_authority_id,
        )
    return found


def flag_imported(
    session: Session, agency_ids: list[int], progress: Callable[[int], None] = lambda n: None
) -> int:
    """The phoenix check for agencies an import created (nobody acting: every regulator
    concerned is told). Returns how many of them resemble a banned or revoked agency."""
    flagged = 0
    for start in range(0, len(agency_ids), 200):
        chunk = agency_ids[start : start + 200]
        for agency in load_full(session, chunk).values():
            if flag(session, agency=agency, acting_authority_id=None):
                flagged += 1
        session.commit()
        progress(len(chunk))
    return flagged
