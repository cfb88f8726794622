"""Rows of the agencies CSV, one per licence (or one for an agency without a licence)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from registry.models import Agency, Licence


def _iso(value) -> str:
    return value.isoformat() if value else ""


def export_rows(session: Session, batch: int = 1000) -> Iterator[list[str]]:
    last_id = 0
    while True:
        agencies = session.exec(
            select(Agency)
            .where(Agency.id > last_id)
            .order_by(Agency.id)
            .limit(batch)
            .options(
                selectinload(Agency.names),
                selectinload(Agency.contacts),
                selectinload(Agency.licences).selectinload(Licence.authority),
            )
        ).all()
        if not agencies:
            return
        for agency in agencies:
            yield from _rows_of(agency)
        last_id = agencies[-1].id
        session.expunge_all()


def _rows_of(agency: Agency) -> Iterator[list[str]]:
    common = ["|".join(n.name for n in agency.names)]
    contacts = ["|".join(agency.contact_values(t)) for t in ("phone", "email", "website")]
    for licence in agency.licences or [None]:
        yield [_one_line(v) for v in _row(agency, licence, common, contacts)]


def _one_line(value: str) -> str:
    """A value never spans lines in the import format (an address typed on two lines)."""
    return " ".join(value.splitlines()) if "\n" in value or "\r" in value else value


def _row(
    agency: Agency, licence: Licence | None, common: list[str], contacts: list[str]
) -> list[str]:
    return [
        agency.name,
        agency.kind,
        agency.country,
        licence.number if licence else "",
        licence.status if licence else "",
        *common,
        _iso(licence.valid_from) if licence else "",
        _iso(licence.valid_until) if licence else "",
        licence.authority.name if licence and licence.authority else "",
        agency.address,
        agency.city,
        *contacts,
    ]
