"""Phoenix firms: a banned or revoked agency that comes back under a new name. When a regulator
records a new agency or changes one, its name, phones, websites, e-mail domains (the lookup's own
matching, so "S.A. de C.V." or a typo makes no difference) and representatives are compared
with the agencies banned or revoked anywhere in the region; what resembles one is flagged on
the manage page and to the regulators concerned with either agency (registry.alerts.notices)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from registry.agencies.records import load_full, verdict_for
from registry.alerts import notices
from registry.clock import today
from registry.models import Agency, Representative, User
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


def flag(session: Session, *, agency: Agency, actor: User) -> list[Resemblance]:
    """Tell the regulators concerned with the agency, or with the one it resembles, of each
    resemblance (the caller commits)."""
    found = resemblances(session, agency)
    for resemblance in found:
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
                "other_verdict_label": VERDICTS[resemblance.verdict],
                "reasons_labels": [REASONS[r] for r in resemblance.reasons],
            },
            link=f"/manage/agencies/{agency.id}",
            agency_id=agency.id,
            acting_authority_id=actor.authority_id,
        )
    return found
