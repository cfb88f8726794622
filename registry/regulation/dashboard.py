"""What a regulator's dashboard shows: its authority's agencies (filtered, a page at a time), the
licences that expire soon, the red flags waiting longest, and what awaits a second regulator.

Licence states are the ones the public reads (registry.verdict.effective_licence_status): a
licence under a ban, revocation or suspension in force counts as banned, revoked or suspended,
whatever its stored status. The filters are SQL, so they hold at any size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, false, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, func, select

from registry.models import (
    Agency,
    AgencyCorridor,
    Authority,
    Licence,
    RedFlag,
    Sanction,
    SanctionEvent,
)
from registry.reports.routing import for_country
from registry.search.matching import name_key

PAGE = 50
EXPIRY_WINDOW = timedelta(days=60)
LICENCE_FILTERS = ("active", "expiring", "expired", "suspended", "revoked", "none")
LISTINGS = ("registry", "reported")


@dataclass(frozen=True)
class AgencyFilter:
    text: str = ""
    licence: str = ""  # one of LICENCE_FILTERS, or "" for any
    listing: str = ""  # one of LISTINGS, or "" for any
    page: int = 1

    @classmethod
    def from_args(cls, args) -> AgencyFilter:
        """From the query string; anything unknown means "any" (never an error)."""
        licence, listing = args.get("licence", ""), args.get("listing", "")
        page = args.get("page", "1")
        return cls(
            text=args.get("q", "")[:300].strip(),
            licence=licence if licence in LICENCE_FILTERS else "",
            listing=listing if listing in LISTINGS else "",
            page=max(1, min(int(page), 100_000)) if page.isdigit() and len(page) < 7 else 1,
        )


def _acting(types: tuple[str, ...], on: date):
    """A sanction of `types` in force on `on` that acts on the licence in the outer query
    (the licence it names, else every licence of its authority), as registry.verdict says."""
    return exists().where(
        Sanction.agency_id == Licence.agency_id,
        Sanction.type.in_(types),
        Sanction.status == "in_force",
        Sanction.appeal_state != "overturned",
        Sanction.starts_on <= on,
        or_(Sanction.lifted_on.is_(None), Sanction.lifted_on > on),
        or_(Sanction.ends_on.is_(None), Sanction.ends_on >= on),
        or_(
            Sanction.licence_id == Licence.id,
            and_(Sanction.licence_id.is_(None), Sanction.authority_id == Licence.authority_id),
        ),
    )


def licence_state(state: str, on: date):
    """A condition on Licence true when its effective status on `on` is `state`."""
    revoked = or_(Licence.status.in_(("revoked", "banned")), _acting(("ban", "revocation"), on))
    lapsed = or_(
        Licence.status == "expired",
        and_(Licence.valid_until.is_not(None), Licence.valid_until < on),
    )
    suspended = or_(Licence.status == "suspended", _acting(("suspension",), on))
    if state == "revoked":
        return revoked
    if state == "expired":
        return and_(~revoked, lapsed)
    if state == "suspended":
        return and_(~revoked, ~lapsed, suspended)
    active = and_(
        Licence.status == "active",
        ~revoked,
        ~suspended,
        or_(Licence.valid_until.is_(None), Licence.valid_until >= on),
        or_(Licence.valid_from.is_(None), Licence.valid_from <= on),
    )
    if state == "active":
        return active
    if state == "expiring":
        return and_(active, Licence.valid_until <= on + EXPIRY_WINDOW)
    return false()


def reach(authority: Authority):
    """The agencies an authority answers for, as a condition (registry.permissions says the
    same): a licensing regulator's are those of its country and those it licensed; an
    inspectorate's those placing workers in its country or based there; a consulate's those
    recruiting its nationals."""

    def corridor(direction: str):
        return exists().where(
            AgencyCorridor.agency_id == Agency.id,
            AgencyCorridor.country == authority.country,
            AgencyCorridor.direction == direction,
        )

    if authority.kind == "inspectorate":
        return or_(Agency.country == authority.country, corridor("destination"))
    if authority.kind == "consulate":
        return corridor("origin")
    own_licence = and_(Licence.agency_id == Agency.id, Licence.authority_id == authority.id)
    return or_(Agency.country == authority.country, exists().where(own_licence))


def agencies_query(authority: Authority, wanted: AgencyFilter, on: date):
    """The agencies an authority answers for (reach), filtered."""
    own_licence = and_(Licence.agency_id == Agency.id, Licence.authority_id == authority.id)
    query = select(Agency).where(Agency.merged_into_id.is_(None), reach(authority))
    if wanted.text:
        query = query.where(
            or_(
                Agency.name_key.contains(name_key(wanted.text), autoescape=True),
                Agency.name.contains(wanted.text, autoescape=True),
            )
        )
    if wanted.listing:
        query = query.where(Agency.listing == wanted.listing)
    if wanted.licence == "none":
        query = query.where(~exists().where(own_licence))
    elif wanted.licence:
        query = query.where(exists().where(own_licence, licence_state(wanted.licence, on)))
    return query


def agencies_page(
    session: Session, authority: Authority, wanted: AgencyFilter, on: date
) -> tuple[list[Agency], int]:
    """One page of the authority's agencies, by name, and how many match in all."""
    query = agencies_query(authority, wanted, on)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.options(selectinload(Agency.licences), selectinload(Agency.sanctions))
        .order_by(Agency.name, Agency.id)
        .offset((wanted.page - 1) * PAGE)
        .limit(PAGE)
    ).all()
    return list(rows), total


def expiring_licences(session: Session, authority_id: int, on: date) -> list[Licence]:
    """The authority's licences in force that expire within 60 days, soonest first."""
    return list(
        session.exec(
            select(Licence)
            .where(Licence.authority_id == authority_id, licence_state("expiring", on))
            .order_by(Licence.valid_until, Licence.id)
        ).all()
    )


def waiting_flags(session: Session, country: str | None, limit: int = 20) -> list[RedFlag]:
    """Red flags not yet decided about agencies of the country, the oldest first."""
    if country is None:
        return []
    return list(
        session.exec(
            for_country(country)
            .where(RedFlag.state.in_(("received", "under_review")))
            .order_by(RedFlag.created_at)
            .limit(limit)
        ).all()
    )


def own_licences(agency: Agency, authority_id: int) -> list[Licence]:
    return [licence for licence in agency.licences if licence.authority_id == authority_id]


def awaiting_sanctions(session: Session, authority_id: int) -> list[Sanction]:
    return list(
        session.exec(
            select(Sanction)
            .where(
                Sanction.status == "awaiting_confirmation", Sanction.authority_id == authority_id
            )
            .order_by(Sanction.created_at)
        ).all()
    )


def awaiting_events(session: Session, authority_id: int) -> list[SanctionEvent]:
    """Lifts and appeal decisions waiting for a second regulator of the authority."""
    return list(
        session.exec(
            select(SanctionEvent)
            .join(Sanction, SanctionEvent.sanction_id == Sanction.id)
            .where(
                SanctionEvent.status == "awaiting_confirmation",
                Sanction.authority_id == authority_id,
            )
            .order_by(SanctionEvent.created_at)
        ).all()
    )
