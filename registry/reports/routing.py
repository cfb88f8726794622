"""Who reads a report: the regulators of the country of the agency it names; when no authority
of that country uses the registry, the administrators (their queue of unrouted reports), until
one does. Every stored report is in exactly one of these queues by construction: a report is
routed by its agency's country, never by a field that could name nobody."""

from __future__ import annotations

from sqlalchemy import exists
from sqlmodel import Session, select

from registry.models import Agency, Authority, RedFlag

LICENSING = Authority.kind == "licensing"  # inspectorates and consulates review no reports


def covered(session: Session, country: str) -> bool:
    """Does a licensing authority of this country use the registry?"""
    found = select(Authority.id).where(Authority.country == country, LICENSING)
    return session.exec(found).first() is not None


def reviewers(session: Session, country: str) -> list[Authority]:
    """The authorities that review reports on agencies of this country."""
    return list(
        session.exec(select(Authority).where(Authority.country == country, LICENSING)).all()
    )


def for_country(country: str):
    """The red flags a regulator of `country` reviews, as a query."""
    return (
        select(RedFlag)
        .join(Agency, RedFlag.agency_id == Agency.id)
        .where(Agency.country == country)
    )


def unrouted():
    """The red flags about agencies of countries no authority covers: the administrators'."""
    return (
        select(RedFlag)
        .join(Agency, RedFlag.agency_id == Agency.id)
        .where(~exists().where(Authority.country == Agency.country, LICENSING))
    )
