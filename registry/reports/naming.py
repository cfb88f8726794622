"""Which agency a report is about: the one the reporter came from, one they chose among the
names the lookup matches ("is it one of these?"), an exact match in the country taken without
asking, or, only for a name that matches nothing, a reported, unlicensed record.

The matching is the lookup's own (registry.search.lookup), so a report names the same
agency a migrant would find by typing the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from registry.agencies.merging import survivor_of
from registry.agencies.records import is_public
from registry.ids import to_id
from registry.models import Agency
from registry.search import lookup
from registry.search.matching import name_key
from registry.search.service import Hit
from registry.search.whoosh_index import IndexUnavailable

NEW = "new"  # the reporter's answer "none of these"
SHOWN = 6  # candidates offered at most


@dataclass
class Naming:
    """The agency the report is filed on, or the candidates to ask about."""

    agency: Agency | None = None
    candidates: list[Hit] = field(default_factory=list)
    needs_country: bool = False  # a new name: its country must be given

    @property
    def ask(self) -> bool:
        return self.agency is None and bool(self.candidates)


def _exact_in_country(session: Session, name: str, country: str) -> Agency | None:
    """A public agency of the country whose name is the name typed (as the lookup normalises
    names); found in the database, so an index catching up cannot make a duplicate."""
    return session.exec(
        select(Agency)
        .where(
            Agency.name_key == name_key(name),
            Agency.country == country,
            Agency.listing == "registry",
        )
        .order_by(Agency.id)
    ).first()


def candidates(name: str, country: str | None) -> list[Hit]:
    """The public agencies the lookup finds for the name (in the country, when given)."""
    try:
        result = lookup(name, country=country or None, limit=SHOWN)
    except IndexUnavailable:  # the report is still taken; a regulator can link it later
        return []
    return result.hits


def name_agency(
    session: Session, *, name: str, country: str, chosen: str, known: Agency | None
) -> Naming:
    """Decide which agency a report names (see the module's docstring)."""
    if known is not None and known.name == name:
        return Naming(agency=survivor_of(session, known))
    if chosen and chosen != NEW:
        agency = session.get(Agency, to_id(chosen)) if to_id(chosen) else None
        agency = survivor_of(session, agency)
        if agency is not None and is_public(agency):
            return Naming(agency=agency)
    if country:
        exact = _exact_in_country(session, name, country)
        if exact is not None:
            return Naming(agency=exact)
    if chosen == NEW:
        return Naming(needs_country=True)
    hits = candidates(name, country)
    if hits and country and hits[0].match == "exact" and hits[0].agency.country == country:
        return Naming(agency=session.get(Agency, hits[0].agency.id))
    return Naming(candidates=hits, needs_country=not hits)
