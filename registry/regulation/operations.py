"""Regulators' writes. Each checks permission (registry.permissions), changes the records and
appends to the audit log, in the caller's transaction; the caller commits once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from registry.alerts import notices
from registry.audit.changes import fields, record
from registry.clock import today
from registry.models import (
    Agency,
    AgencyContact,
    AgencyCorridor,
    AgencyName,
    Finding,
    Inspection,
    Licence,
    RedFlag,
    Sanction,
    User,
)
from registry.permissions import can, jurisdiction_of, owns_act, owns_licence
from registry.search.matching import licence_key, name_key
from registry.verdict import effective_licence_status
from registry.vocab import SANCTION_TYPES

FOUR_EYES = ("revocation", "ban")


class PermissionDenied(Exception):
    """The actor may not do this; nothing was changed."""


class RuleBroken(ValueError):
    """The request breaks a domain rule; the message is for the person who made it: a lazy
    string, read in the language of the request that shows it (English elsewhere)."""


def authorize(actor: User, action: str, target: Any = None) -> None:
    """Raise PermissionDenied unless the actor may do `action` on `target`
    (registry.permissions)."""
    if not can(actor, action, target):
        raise PermissionDenied(action)


AGENCY_FIELDS = ("name", "kind", "country", "address", "city")
LICENCE_FIELDS = (
    "number",
    "country",
    "licence_class",
    "status",
    "valid_from",
    "valid_until",
    "conditions",
)
SANCTION_FIELDS = (
    "type",
    "decision_ref",
    "starts_on",
    "ends_on",
    "summary",
    "lang",
    "appeal_state",
    "status",
    "licence_id",
)


def create_agency(
    session: Session,
    *,
    actor: User,
    name: str,
    kind: str,
    country: str,
    address: str = "",
    city: str = "",
    aliases: Iterable[str] = (),
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    websites: Iterable[str] = (),
    recruits_in: Iterable[str] = (),
    places_in: Iterable[str] = (),
) -> Agency:
    authorize(actor, "agency.create", country)
    agency = Agency(
        name=name, name_key=name_key(name), kind=kind, country=country, address=address, city=city
    )
    agency.names = [AgencyName(name=a, type="alias") for a in aliases]
    agency.contacts = (
        [AgencyContact(type="phone", value=v) for v in phones]
        + [AgencyContact(type="email", value=v) for v in emails]
        + [AgencyContact(type="website", value=v) for v in websites]
    )
    agency.corridors = _corridors(recruits_in, places_in)
    session.add(agency)
    session.flush()
    record(
        session,
        by=actor,
        action="agency.create",
        obj=agency,
        agency_id=agency.id,
        before={},
        after={
            **fields(agency, AGENCY_FIELDS),
            "aliases": list(aliases),
            "contacts": [c.value for c in agency.contacts],
            **_corridorfields(agency),
        },
    )
    return agency


def _corridors(recruits_in: Iterable[str], places_in: Iterable[str]) -> list[AgencyCorridor]:
    """The corridors an agency form gives: each country once per direction."""
    return [
        AgencyCorridor(country=country, direction=direction)
        for direction, countries in (("origin", recruits_in), ("destination", places_in))
        for country in sorted(set(countries))
    ]


def _corridorfields(agency: Agency) -> dict:
    return {
        "recruits_in": agency.corridor_countries("origin"),
        "places_in": agency.corridor_countries("destination"),
    }


def issue_licence(
    session: Session,
    *,
    actor: User,
    agency: Agency,
    number: str,
    valid_from: date | None,
    valid_until: date | None,
    licence_class: str = "",
    conditions: str = "",
) -> Licence:
    authorize(actor, "licence.issue", agency)
    country = jurisdiction_of(actor)
    key = licence_key(number)
    if not key:
        raise RuleBroken(_l("the licence number has no letters or digits"))
    if any(lic.number_key == key and lic.country == country for lic in agency.licences):
        raise RuleBroken(
            _l("licence %(number)s is already recorded for this agency", number=number)
        )
    if valid_from and valid_until and valid_from > valid_until:
        raise RuleBroken(_l("the licence cannot end before it starts"))
    licence = Licence(
        agency_id=agency.id,
        number=number,
        number_key=key,
        country=country,
        authority_id=actor.authority_id,
        licence_class=licence_class,
        status="active",
        valid_from=valid_from,
        valid_until=valid_until,
        conditions=conditions,
    )
    session.add(licence)
    session.flush()
    record(
        session,
        by=actor,
        action="licence.issue",
        obj=licence,
        agency_id=agency.id,
        before={},
        after=fields(licence, LICENCE_FIELDS),
    )
    return licence


def renewal_refused(licence: Licence) -> bool:
    """A licence revoked or banned (by its status, or by a sanction in force on it) is not
    renewed."""
    sanctions = licence.agency.sanctions if licence.agency is not None else []
    return effective_licence_status(licence, today(), sanctions) in ("revoked", "banned")


def renew_licence(session: Session, *, actor: User, licence: Licence, valid_until: date) -> None:
    authorize(actor, "licence.renew", licence)
    if renewal_refused(licence):
        raise RuleBroken(_l("a revoked or banned licence cannot be renewed"))
    before = fields(licence, LICENCE_FIELDS)
    licence.valid_until, licence.status = valid_until, "active"
    session.add(licence)
    session.flush()
    record(
        session,
        by=actor,
        action="licence.renew",
        obj=licence,
        agency_id=licence.agency_id,
        before=before,
        after=fields(licence, LICENCE_FIELDS),
    )


def impose_sanction(
    session: Session,
    *,
    actor: User,
    agency: Agency,
    type: str,
    decision_ref: str,
    starts_on: date,
    ends_on: date | None,
    summary: str,
    licence: Licence | None = None,
    finding: Finding | None = None,
    lang: str = "",
) -> Sanction:
    """Record a sanction. Revocations and bans wait for a second regulator; the rest apply now
    (a preventive suspension takes effect at once)."""
    authorize(actor, "sanction.impose", agency)
    if ends_on and ends_on < starts_on:
        raise RuleBroken(_l("the sanction cannot end before it starts"))
    if licence is not None and (licence.agency_id != agency.id or not owns_licence(actor, licence)):
        raise RuleBroken(_l("only the authority that issued a licence can act on it"))
    if finding is not None and (
        finding.agency_id != agency.id
        or finding.sanction_id is not None
        or not owns_act(actor, finding)
    ):
        raise RuleBroken(
            _l("this finding belongs to another agency or authority, or already has a sanction")
        )
    sanction = Sanction(
        agency_id=agency.id,
        authority_id=actor.authority_id,
        country=actor.authority.country,
        type=type,
        decision_ref=decision_ref,
        starts_on=starts_on,
        ends_on=ends_on,
        summary=summary,
        lang=lang,
        licence_id=licence.id if licence else None,
        status="awaiting_confirmation" if type in FOUR_EYES else "in_force",
        proposed_by_id=actor.id,
    )
    session.add(sanction)
    session.flush()
    if finding is not None:
        finding.sanction_id = sanction.id
        session.add(finding)
    record(
        session,
        by=actor,
        action="sanction.propose" if type in FOUR_EYES else "sanction.impose",
        obj=sanction,
        agency_id=agency.id,
        before={},
        after=fields(sanction, SANCTION_FIELDS),
    )
    if sanction.status == "in_force":
        _tell_sanction(session, actor, agency, sanction)
    return sanction


def _tell_sanction(session: Session, actor: User, agency: Agency, sanction: Sanction) -> None:
    """The other authorities concerned hear of a sanction once it is public."""
    notices.on_agency(
        session,
        agency=agency,
        kind="sanction",
        message=notices.SANCTIONED,
        params={
            "authority": actor.authority.name,
            "country": actor.authority.country,
            "type_label": SANCTION_TYPES.get(sanction.type, sanction.type),
            "date": sanction.starts_on.isoformat(),
        },
        acting_authority_id=actor.authority_id,
    )


def confirm_sanction(session: Session, *, actor: User, sanction: Sanction) -> None:
    """The second pair of eyes: another regulator of the same authority makes it public."""
    authorize(actor, "sanction.confirm", sanction)
    if sanction.status != "awaiting_confirmation":
        raise RuleBroken(_l("this sanction is not awaiting confirmation"))
    if actor.id == sanction.proposed_by_id:
        raise RuleBroken(_l("a second regulator must confirm: you proposed this sanction"))
    before = fields(sanction, SANCTION_FIELDS)
    sanction.status, sanction.confirmed_by_id = "in_force", actor.id
    session.add(sanction)
    licence = session.get(Licence, sanction.licence_id) if sanction.licence_id else None
    if licence is not None:
        licence_before = fields(licence, LICENCE_FIELDS)
        licence.status = "revoked" if sanction.type == "revocation" else "banned"
        session.add(licence)
        session.flush()
        record(
            session,
            by=actor,
            action="licence." + licence.status,
            obj=licence,
            agency_id=licence.agency_id,
            before=licence_before,
            after=fields(licence, LICENCE_FIELDS),
        )
    session.flush()
    record(
        session,
        by=actor,
        action="sanction.confirm",
        obj=sanction,
        agency_id=sanction.agency_id,
        before=before,
        after=fields(sanction, SANCTION_FIELDS),
    )
    _tell_sanction(session, actor, session.get(Agency, sanction.agency_id), sanction)


INSPECTION_FIELDS = ("kind", "visited_on", "outcome", "notes")
FINDING_FIELDS = ("reference", "decided_on", "summary", "lang", "sanction_id")


def record_inspection(
    session: Session,
    *,
    actor: User,
    agency: Agency,
    kind: str,
    visited_on: date,
    outcome: str,
    notes: str = "",
) -> Inspection:
    authorize(actor, "inspection.record", agency)
    inspection = Inspection(
        agency_id=agency.id,
        authority_id=actor.authority_id,
        kind=kind,
        visited_on=visited_on,
        outcome=outcome,
        notes=notes,
        recorded_by_id=actor.id,
    )
    session.add(inspection)
    session.flush()
    record(
        session,
        by=actor,
        action="inspection.record",
        obj=inspection,
        agency_id=agency.id,
        before={},
        after=fields(inspection, INSPECTION_FIELDS),
    )
    return inspection


def record_finding(
    session: Session,
    *,
    actor: User,
    agency: Agency,
    reference: str,
    decided_on: date,
    summary: str,
    red_flags: Iterable[RedFlag] = (),
    lang: str = "",
) -> Finding:
    """A regulator's fraud finding, resting on substantiated red flags of the same agency."""
    authorize(actor, "finding.record", agency)
    red_flags = list(red_flags)
    if any(f.agency_id != agency.id or f.state != "substantiated" for f in red_flags):
        raise RuleBroken(_l("a finding rests only on substantiated red flags of this agency"))
    finding = Finding(
        agency_id=agency.id,
        authority_id=actor.authority_id,
        reference=reference,
        decided_on=decided_on,
        summary=summary,
        lang=lang,
        red_flags=red_flags,
    )
    session.add(finding)
    session.flush()
    record(
        session,
        by=actor,
        action="finding.record",
        obj=finding,
        agency_id=agency.id,
        before={},
        after={**fields(finding, FINDING_FIELDS), "red_flags": [f.id for f in red_flags]},
    )
    notices.on_agency(
        session,
        agency=agency,
        kind="finding",
        message=notices.FOUND,
        params={
            "authority": actor.authority.name,
            "country": actor.authority.country,
            "summary": summary,
        },
        acting_authority_id=actor.authority_id,
    )
    return finding


def edit_agency(
    session: Session,
    *,
    actor: User,
    agency: Agency,
    name: str,
    kind: str,
    address: str,
    city: str,
    aliases: Iterable[str],
    phones: Iterable[str],
    emails: Iterable[str],
    websites: Iterable[str],
    recruits_in: Iterable[str] = (),
    places_in: Iterable[str] = (),
) -> None:
    """Change an agency's identity and corridors. Names it drops are kept as former names
    (phoenix firms must stay findable by their old names)."""
    authorize(actor, "agency.edit", agency)
    before = {
        **fields(agency, AGENCY_FIELDS),
        "names": sorted(n.name for n in agency.names),
        "contacts": sorted(c.value for c in agency.contacts),
        **_corridorfields(agency),
    }
    if name != agency.name and agency.name not in {n.name for n in agency.names}:
        agency.names.append(AgencyName(name=agency.name, type="former"))
    agency.name, agency.name_key, agency.kind = name, name_key(name), kind
    agency.address, agency.city = address, city
    known = {n.name for n in agency.names}
    agency.names.extend(AgencyName(name=a, type="alias") for a in aliases if a not in known)
    wanted = (
        {("phone", v) for v in phones}
        | {("email", v) for v in emails}
        | {("website", v) for v in websites}
    )
    agency.contacts = [c for c in agency.contacts if (c.type, c.value) in wanted] + [
        AgencyContact(type=t, value=v)
        for t, v in sorted(wanted)
        if (t, v) not in {(c.type, c.value) for c in agency.contacts}
    ]
    wanted_corridors = {(c.country, c.direction) for c in _corridors(recruits_in, places_in)}
    agency.corridors = [
        c for c in agency.corridors if (c.country, c.direction) in wanted_corridors
    ] + [
        AgencyCorridor(country=country, direction=direction)
        for country, direction in sorted(wanted_corridors)
        if (country, direction) not in {(c.country, c.direction) for c in agency.corridors}
    ]
    session.add(agency)
    session.flush()
    record(
        session,
        by=actor,
        action="agency.edit",
        obj=agency,
        agency_id=agency.id,
        before=before,
        after={
            **fields(agency, AGENCY_FIELDS),
            "names": sorted(n.name for n in agency.names),
            "contacts": sorted(c.value for c in agency.contacts),
            **_corridorfields(agency),
        },
    )
