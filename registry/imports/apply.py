"""Writing validated rows: insert new agencies, update known ones, change nothing twice.

An agency is recognised by its licence number in its country, else by its normalised name, country
and kind. Names, contacts and licences are only ever added or updated, never removed by an import.
"""
from __future__ import annotations

from typing import Callable, Iterable

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from registry.imports.csv_format import AgencyRow
from registry.models import Agency, AgencyContact, AgencyName, Authority, Licence
from registry.search.matching import licence_key, name_key


class Importer:
    def __init__(self, session: Session):
        self.session = session
        self.by_licence = {(k, c): a for k, c, a in session.exec(
            select(Licence.number_key, Licence.country, Licence.agency_id)).all()}
        self.by_name = {(k, c, kind): a for a, k, c, kind in session.exec(
            select(Agency.id, Agency.name_key, Agency.country, Agency.kind)).all()}
        self.authorities = {(a.name, a.country): a for a in session.exec(select(Authority)).all()}
        self.created = 0

    def _authority(self, name: str, country: str) -> Authority | None:
        if not name:
            return None
        if (name, country) not in self.authorities:
            authority = Authority(name=name, country=country)
            self.session.add(authority)
            self.authorities[(name, country)] = authority
        return self.authorities[(name, country)]

    def _existing_id(self, row: AgencyRow) -> int | None:
        if row.licence_number:
            found = self.by_licence.get((licence_key(row.licence_number), row.country))
            if found is not None:
                return found
        return self.by_name.get((name_key(row.name), row.country, row.kind))

    def apply(self, rows: list[AgencyRow]) -> None:
        """Write one chunk of rows (a few hundred) in the current transaction."""
        ids = [i for i in (self._existing_id(r) for r in rows) if i is not None]
        loaded = {a.id: a for a in self.session.exec(
            select(Agency).where(Agency.id.in_(ids)).options(
                selectinload(Agency.names), selectinload(Agency.contacts),
                selectinload(Agency.licences))).all()}
        pending: dict[tuple, Agency] = {}
        for row in rows:
            key = (name_key(row.name), row.country, row.kind)
            agency = loaded.get(self._existing_id(row)) or pending.get(key)
            if agency is None:
                agency = Agency(name=row.name, kind=row.kind, country=row.country)
                self.session.add(agency)
                pending[key] = agency
                self.created += 1
            self._fill(agency, row)
        self.session.flush()
        for key, agency in pending.items():
            self.by_name[key] = agency.id
            for licence in agency.licences:
                self.by_licence[(licence.number_key, licence.country)] = agency.id

    def _fill(self, agency: Agency, row: AgencyRow) -> None:
        _set(agency, name=row.name, name_key=name_key(row.name), kind=row.kind,
             country=row.country, address=row.address or agency.address,
             city=row.city or agency.city)
        names = {n.name for n in agency.names} | {agency.name}
        agency.names.extend(AgencyName(name=n, type="alias") for n in row.aliases if n not in names)
        have = {(c.type, c.value) for c in agency.contacts}
        for kind, values in (("phone", row.phones), ("email", row.emails),
                             ("website", row.websites)):
            agency.contacts.extend(AgencyContact(type=kind, value=v) for v in values
                                   if (kind, v) not in have)
        if row.licence_number:
            self._fill_licence(agency, row)

    def _fill_licence(self, agency: Agency, row: AgencyRow) -> None:
        key = licence_key(row.licence_number)
        licence = next((l for l in agency.licences
                        if l.number_key == key and l.country == row.country), None)
        if licence is None:
            licence = Licence(number=row.licence_number, number_key=key, country=row.country)
            agency.licences.append(licence)
        authority = self._authority(row.authority, row.country)
        _set(licence, number=row.licence_number, status=row.status, valid_from=row.valid_from,
             valid_until=row.valid_until)
        if authority is not None and licence.authority is not authority:
            licence.authority = authority


def _set(obj, **values) -> None:
    """Assign only what differs, so that an unchanged row leaves the record untouched."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def import_rows(session: Session, rows: Iterable[AgencyRow], *, chunk: int = 500,
                progress: Callable[[int], None] = lambda n: None) -> Importer:
    importer = Importer(session)
    buffer: list[AgencyRow] = []
    for row in rows:
        buffer.append(row)
        if len(buffer) >= chunk:
            importer.apply(buffer)
            progress(len(buffer))
            buffer = []
    if buffer:
        importer.apply(buffer)
        progress(len(buffer))
    return importer
