"""The public changes of the register, newest first: sanctions that took effect, sanctions
lifted, licences that lapsed, red flags substantiated. Read from the records themselves (never
kept apart), so the feeds and the warnings page agree with every agency's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, true
from sqlmodel import Session, select

from registry.models import Agency, Licence, RedFlag, Sanction
from registry.vocab import RED_FLAG_CATEGORIES, SANCTION_TYPES

SEVERE = ("ban", "revocation", "suspension")
WINDOW = timedelta(days=365)  # how far back the feeds and the warnings page look


@dataclass(frozen=True)
class Change:
    kind: str  # sanction | lifted | lapsed | red_flag
    record_id: int
    agency_id: int
    agency_name: str
    country: str  # where it happened: the sanction's or licence's country, else the agency's
    on: date
    detail: str  # the sanction type, the licence number or the red flag category
    authority: str = ""
    summary: str = ""

    @property
    def moment(self) -> datetime:
        return datetime.combine(self.on, time(0, 0))


def _public(query):
    return query.where(Agency.listing == "registry", Agency.merged_into_id.is_(None))


def recent(
    session: Session,
    *,
    on: date,
    country: str | None = None,
    agency_id: int | None = None,
    severe_only: bool = False,
    limit: int = 50,
) -> list[Change]:
    """The changes of the last WINDOW up to `on`, newest first; `country` keeps those that
    happened there or concern an agency of that country."""
    since = on - WINDOW
    found: list[Change] = []

    def where(query, record_country):
        if agency_id is not None:
            query = query.where(Agency.id == agency_id)
        if country:
            query = query.where(or_(record_country == country, Agency.country == country))
        return _public(query)

    sanctions = where(
        select(Sanction, Agency)
        .join(Agency, Agency.id == Sanction.agency_id)
        .where(
            Sanction.status == "in_force",
            Sanction.starts_on <= on,
            or_(Sanction.starts_on >= since, Sanction.lifted_on >= since),
            Sanction.type.in_(SEVERE) if severe_only else true(),
        ),
        Sanction.country,
    )
    for sanction, agency in session.exec(sanctions).all():
        authority = sanction.authority.name if sanction.authority else ""
        where_ = sanction.country or agency.country
        if sanction.starts_on >= since:
            found.append(
                Change(
                    "sanction",
                    sanction.id,
                    agency.id,
                    agency.name,
                    where_,
                    sanction.starts_on,
                    sanction.type,
                    authority,
                    sanction.summary,
                )
            )
        if sanction.lifted_on is not None and since <= sanction.lifted_on <= on:
            found.append(
                Change(
                    "lifted",
                    sanction.id,
                    agency.id,
                    agency.name,
                    where_,
                    sanction.lifted_on,
                    sanction.type,
                    authority,
                    sanction.lift_reason,
                )
            )
    if not severe_only:
        licences = where(
            select(Licence, Agency)
            .join(Agency, Agency.id == Licence.agency_id)
            .where(Licence.valid_until < on, Licence.valid_until >= since),
            Licence.country,
        )
        for licence, agency in session.exec(licences).all():
            authority = licence.authority.name if licence.authority else ""
            found.append(
                Change(
                    "lapsed",
                    licence.id,
                    agency.id,
                    agency.name,
                    licence.country,
                    licence.valid_until + timedelta(days=1),
                    licence.number,
                    authority,
                )
            )
        flags = where(
            select(RedFlag, Agency)
            .join(Agency, Agency.id == RedFlag.agency_id)
            .where(
                RedFlag.state == "substantiated",
                RedFlag.updated_at >= datetime.combine(since, time(0, 0), tzinfo=UTC),
            ),
            Agency.country,
        )
        for flag, agency in session.exec(flags).all():
            found.append(
                Change(
                    "red_flag",
                    flag.id,
                    agency.id,
                    agency.name,
                    agency.country,
                    flag.updated_at.date(),
                    flag.category,
                    "",
                    flag.public_summary,
                )
            )
    found.sort(key=lambda c: (c.on, c.kind, c.record_id), reverse=True)
    return found[:limit]


def warnings(session: Session, *, on: date) -> dict[str, list[Change]]:
    """The bans, revocations and suspensions that took effect in the last WINDOW, by the
    country where they were imposed (countries by code)."""
    by_country: dict[str, list[Change]] = {}
    for change in recent(session, on=on, severe_only=True, limit=2000):
        if change.kind == "sanction":
            by_country.setdefault(change.country, []).append(change)
    return dict(sorted(by_country.items()))


def title(change: Change) -> str:
    """What a change was, in a line, in the request's language."""
    if change.kind == "sanction":
        return _(
            "%(type)s: %(agency)s", type=_(SANCTION_TYPES[change.detail]), agency=change.agency_name
        )
    if change.kind == "lifted":
        return _(
            "%(type)s lifted: %(agency)s",
            type=_(SANCTION_TYPES[change.detail]),
            agency=change.agency_name,
        )
    if change.kind == "lapsed":
        return _(
            "Licence %(number)s lapsed: %(agency)s", number=change.detail, agency=change.agency_name
        )
    return _(
        "Red flag substantiated: %(agency)s (%(category)s)",
        agency=change.agency_name,
        category=_(RED_FLAG_CATEGORIES.get(change.detail, change.detail)),
    )
