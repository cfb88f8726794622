"""How an agency's records become its search document."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from registry.models import Agency
from registry.search import matching


@dataclass
class Document:
    """What a search backend keeps of one agency."""

    agency_id: int
    tokens: list[str]
    sounds: list[str]
    identifiers: set[str]
    country: str
    kind: str
    names: list[str]
    keys: list[str]


def agencies_query():
    """Agencies with everything their document needs, loaded in a few queries."""
    return select(Agency).options(selectinload(Agency.names), selectinload(Agency.contacts),
                                  selectinload(Agency.licences))


def all_names(agency: Agency) -> list[str]:
    return [agency.name, *(n.name for n in agency.names)]


def document_for(agency: Agency) -> Document:
    names = all_names(agency)
    tokens: list[str] = []
    for name in names:
        tokens.extend(t for t in matching.search_tokens(name) if t not in tokens)
    sounds = sorted({matching.sound_key(t) for t in tokens})
    identifiers = matching.identifier_keys(
        licences=[l.number for l in agency.licences],
        phones=agency.contact_values("phone"), emails=agency.contact_values("email"),
        websites=agency.contact_values("website"), country=agency.country)
    return Document(agency_id=agency.id, tokens=tokens, sounds=sounds, identifiers=identifiers,
                    country=agency.country, kind=agency.kind, names=names,
                    keys=[matching.name_key(n) for n in names])


def load_agencies(session: Session, agency_ids: list[int]) -> dict[int, Agency]:
    rows = session.exec(agencies_query().where(Agency.id.in_(agency_ids))).all()
    return {a.id: a for a in rows}
