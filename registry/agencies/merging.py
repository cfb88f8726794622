"""One agency, one record: merging a duplicate into the record that survives, and moving a red
flag to the agency it is really about.

A merge moves everything the duplicate holds (its names, contacts, representatives, licences,
sanctions, red flags, findings and monitoring visits) to the survivor; the duplicate's own name
becomes one of the survivor's other names, so a search for it still finds the agency. The
duplicate stays as a "merged" record pointing at the survivor (its pages redirect there, reports
naming it are filed on the survivor) and its history is read with the survivor's. Both records
are re-indexed through the outbox, in the same transaction. The caller commits.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from registry.audit.chain import append
from registry.models import (
    Agency,
    AgencyContact,
    AgencyName,
    Finding,
    Inspection,
    Licence,
    RedFlag,
    Representative,
    Sanction,
    User,
)
from registry.regulation.operations import RuleBroken, authorize
from registry.search.matching import name_key

MOVED = (Licence, Sanction, RedFlag, Finding, Inspection)  # rows that change agency as they are
MAX_CHAIN = 20


def survivor_of(session: Session, agency: Agency | None) -> Agency | None:
    """The record a merged agency now stands for (itself when it was never merged)."""
    for _ in range(MAX_CHAIN):
        if agency is None or agency.merged_into_id is None:
            return agency
        agency = session.get(Agency, agency.merged_into_id)
    return agency


def merged_ids(session: Session, agency_id: int) -> list[int]:
    """The agency and every record merged into it (directly or through another), for reading
    their histories together."""
    found, frontier = [agency_id], [agency_id]
    while frontier and len(found) < 1000:
        frontier = list(
            session.exec(select(Agency.id).where(Agency.merged_into_id.in_(frontier))).all()
        )
        found += [i for i in frontier if i not in found]
    return found


def _move_names(duplicate: Agency, survivor: Agency) -> list[str]:
    known = {name_key(survivor.name)} | {name_key(n.name) for n in survivor.names}
    added = []
    for name, kind in [(duplicate.name, "alias")] + [(n.name, n.type) for n in duplicate.names]:
        if name_key(name) not in known:
            known.add(name_key(name))
            survivor.names.append(AgencyName(name=name, type=kind))
            added.append(name)
    duplicate.names.clear()
    return added


def _move_contacts(duplicate: Agency, survivor: Agency) -> list[str]:
    known = {(c.type, c.value.strip().lower()) for c in survivor.contacts}
    added = []
    for contact in list(duplicate.contacts):
        if (contact.type, contact.value.strip().lower()) not in known:
            known.add((contact.type, contact.value.strip().lower()))
            survivor.contacts.append(AgencyContact(type=contact.type, value=contact.value))
            added.append(contact.value)
    duplicate.contacts.clear()
    known_people = {r.name.strip().lower() for r in survivor.representatives}
    for person in list(duplicate.representatives):
        if person.name.strip().lower() not in known_people:
            survivor.representatives.append(Representative(name=person.name, role=person.role))
    duplicate.representatives.clear()
    return added


def merge(session: Session, *, actor: User, duplicate: Agency, survivor: Agency) -> dict:
    """Merge `duplicate` into `survivor` (see the module's docstring); returns what moved."""
    survivor = survivor_of(session, survivor)
    if survivor is None or duplicate.id == survivor.id:
        raise RuleBroken(_l("choose another record: an agency cannot be merged into itself"))
    if duplicate.merged_into_id is not None:
        raise RuleBroken(_l("this record was already merged into another"))
    if survivor.listing != "registry":
        raise RuleBroken(_l("merge into a record in the register, not into a reported name"))
    authorize(actor, "agency.merge", duplicate)
    authorize(actor, "agency.absorb", survivor)
    moved = {
        "names": _move_names(duplicate, survivor),
        "contacts": _move_contacts(duplicate, survivor),
    }
    for model in MOVED:
        rows = session.exec(select(model).where(model.agency_id == duplicate.id)).all()
        for row in rows:
            row.agency_id = survivor.id
            session.add(row)
            if "agency" in row.__dict__:  # a loaded relationship would still name the old one
                session.expire(row, ["agency"])
        moved[model.__tablename__] = [row.id for row in rows]
    before = {"listing": duplicate.listing, "merged_into_id": None}
    duplicate.listing, duplicate.merged_into_id = "merged", survivor.id
    session.add_all([duplicate, survivor])
    session.flush()
    append(
        session,
        actor=actor.email,
        actor_id=actor.id,
        action="agency.merge",
        entity="agency",
        entity_id=duplicate.id,
        agency_id=duplicate.id,
        before=before,
        after={"listing": "merged", "merged_into_id": survivor.id, "survivor": survivor.name},
    )
    append(
        session,
        actor=actor.email,
        actor_id=actor.id,
        action="agency.absorb",
        entity="agency",
        entity_id=survivor.id,
        agency_id=survivor.id,
        before={},
        after={"merged_from_id": duplicate.id, "name": duplicate.name, **moved},
    )
    return moved


def link_flag(session: Session, *, actor: User, flag: RedFlag, agency: Agency) -> None:
    """File a red flag on the registered agency it is really about (a report that named it
    differently); a reported record left with nothing is merged into that agency."""
    agency = survivor_of(session, agency)
    if agency is None or agency.id == flag.agency_id:
        raise RuleBroken(_l("the red flag is already on this agency"))
    if agency.listing != "registry":
        raise RuleBroken(_l("link the red flag to a record in the register"))
    authorize(actor, "red_flag.review", flag)
    authorize(actor, "agency.absorb", agency)
    previous = session.get(Agency, flag.agency_id)
    flag.agency = agency
    session.add(flag)
    session.flush()
    append(
        session,
        actor=actor.email,
        actor_id=actor.id,
        action="red_flag.link",
        entity="red_flag",
        entity_id=flag.id,
        agency_id=agency.id,
        before={"agency_id": previous.id, "agency": previous.name},
        after={"agency_id": agency.id, "agency": agency.name},
    )
    if (
        previous.listing == "reported"
        and not session.exec(select(RedFlag.id).where(RedFlag.agency_id == previous.id)).first()
    ):
        merge(session, actor=actor, duplicate=previous, survivor=agency)
