"""Writing validated rows: insert new agencies, update known ones, change nothing twice.

An agency is recognised by its licence number in its country, else by its normalised name, country
and kind. Names, contacts and licences are only ever added or updated, never removed by an import:
a name an import replaces is kept as a former name. A row whose licence number is already another
agency's (the same letters and digits, whatever the punctuation) is refused (`conflicts`), never
applied to that agency. Every agency an import creates or changes gets an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from registry.audit.chain import append_many
from registry.imports.csv_format import AgencyRow, RowError
from registry.models import Agency, AgencyContact, AgencyName, Authority, Licence
from registry.search.matching import licence_key, name_key


def conflicts(session: Session, rows: list[AgencyRow]) -> list[RowError]:
    """Rows whose licence number folds (to letters and digits) to one recorded, written
    otherwise, for an agency of another name in the same country: refused with their line, so
    that an import never renames an agency or rewrites its number because two numbers look
    alike. The same number with a new name is the licensed agency renamed (its old name is
    kept as a former name)."""
    wanted = {(licence_key(r.licence_number), r.country) for r in rows if r.licence_number}
    if not wanted:
        return []
    recorded: dict[tuple[str, str], tuple[int, str, str]] = {}
    keys = sorted({key for key, _country in wanted})
    for start in range(0, len(keys), 500):
        for key, country, number, agency_id, name in session.exec(
            select(Licence.number_key, Licence.country, Licence.number, Agency.id, Agency.name)
            .join(Agency, Agency.id == Licence.agency_id)
            .where(Licence.number_key.in_(keys[start : start + 500]))
        ).all():
            if (key, country) in wanted:
                recorded[(key, country)] = (agency_id, number, name)
    names: dict[int, set[str]] = {}
    for agency_id, name in session.exec(
        select(AgencyName.agency_id, AgencyName.name).where(
            AgencyName.agency_id.in_(sorted({v[0] for v in recorded.values()}))
        )
    ).all():
        names.setdefault(agency_id, set()).add(name_key(name))
    refused = []
    for row in rows:
        found = (
            recorded.get((licence_key(row.licence_number), row.country))
            if row.licence_number
            else None
        )
        if found is None:
            continue
        agency_id, number, name = found
        same_number = number.strip().upper() == row.licence_number.strip().upper()
        if not same_number and name_key(row.name) not in {name_key(name)} | names.get(
            agency_id, set()
        ):
            refused.append(
                RowError(
                    row.line,
                    {"name": row.name},
                    [
                        f"licence_number '{row.licence_number}' is recorded as '{number}' for "
                        f"'{name}' (agency {agency_id}), another name; if it is the same "
                        "agency, use its recorded name"
                    ],
                )
            )
    return refused


def _snapshot(agency: Agency) -> dict:
    return {
        "name": agency.name,
        "kind": agency.kind,
        "country": agency.country,
        "address": agency.address,
        "city": agency.city,
        "names": sorted(f"{n.name} ({n.type})" for n in agency.names),
        "contacts": sorted(c.value for c in agency.contacts),
        "licences": sorted(
            f"{lic.number} {lic.status} {lic.valid_from or ''}-{lic.valid_until or ''}"
            for lic in agency.licences
        ),
    }


class Importer:
    def __init__(self, session: Session, actor: str = "cli"):
        self.session, self.actor = session, actor
        self.by_licence = {
            (k, c): a
            for k, c, a in session.exec(
                select(Licence.number_key, Licence.country, Licence.agency_id)
            ).all()
        }
        self.by_name = {
            (k, c, kind): a
            for a, k, c, kind in session.exec(
                select(Agency.id, Agency.name_key, Agency.country, Agency.kind)
            ).all()
        }
        self.authorities = {(a.name, a.country): a for a in session.exec(select(Authority)).all()}
        self.created = self.changed = 0
        self.created_ids: list[int] = []

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
        loaded = {
            a.id: a
            for a in self.session.exec(
                select(Agency)
                .where(Agency.id.in_(ids))
                .options(
                    selectinload(Agency.names),
                    selectinload(Agency.contacts),
                    selectinload(Agency.licences),
                )
            ).all()
        }
        before = {a.id: _snapshot(a) for a in loaded.values()}
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
        self.created_ids.extend(a.id for a in pending.values())
        append_many(
            self.session,
            [
                entry
                for entry in (
                    self._audit(agency, before.get(agency.id, {}))
                    for agency in [*loaded.values(), *pending.values()]
                )
                if entry is not None
            ],
        )
        for key, agency in pending.items():
            self.by_name[key] = agency.id
            for licence in agency.licences:
                self.by_licence[(licence.number_key, licence.country)] = agency.id

    def _audit(self, agency: Agency, before: dict) -> dict | None:
        """The audit entry of what this chunk changed of an agency (None: nothing)."""
        after = _snapshot(agency)
        changed = {k for k in after if before.get(k) != after[k]}
        if not changed:
            return None
        self.changed += 1
        return dict(
            actor=self.actor,
            actor_id=None,
            action="agency.import",
            entity="agency",
            entity_id=agency.id,
            agency_id=agency.id,
            before={k: before[k] for k in changed if k in before},
            after={k: after[k] for k in changed},
        )

    def _fill(self, agency: Agency, row: AgencyRow) -> None:
        if (
            agency.name
            and name_key(row.name) != name_key(agency.name)
            and agency.name not in {n.name for n in agency.names}
        ):  # replaced, not respelled: kept findable
            agency.names.append(AgencyName(name=agency.name, type="former"))
        _set(
            agency,
            name=row.name,
            name_key=name_key(row.name),
            kind=row.kind,
            country=row.country,
            address=row.address or agency.address,
            city=row.city or agency.city,
        )
        names = {n.name for n in agency.names} | {agency.name}
        agency.names.extend(AgencyName(name=n, type="alias") for n in row.aliases if n not in names)
        have = {(c.type, c.value) for c in agency.contacts}
        for kind, values in (
            ("phone", row.phones),
            ("email", row.emails),
            ("website", row.websites),
        ):
            agency.contacts.extend(
                AgencyContact(type=kind, value=v) for v in values if (kind, v) not in have
            )
        if row.licence_number:
            self._fill_licence(agency, row)

    def _fill_licence(self, agency: Agency, row: AgencyRow) -> None:
        key = licence_key(row.licence_number)
        licence = next(
            (
                lic
                for lic in agency.licences
                if lic.number_key == key and lic.country == row.country
            ),
            None,
        )
        if licence is None:
            licence = Licence(number=row.licence_number, number_key=key, country=row.country)
            agency.licences.append(licence)
        authority = self._authority(row.authority, row.country)
        # The number as first recorded stays (a row may write it with other punctuation).
        _set(licence, status=row.status, valid_from=row.valid_from, valid_until=row.valid_until)
        if authority is not None and licence.authority is not authority:
            licence.authority = authority


def _set(obj, **values) -> None:
    """Assign only what differs, so that an unchanged row leaves the record untouched."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def import_rows(
    session: Session,
    rows: Iterable[AgencyRow],
    *,
    chunk: int = 500,
    progress: Callable[[int], None] = lambda n: None,
    actor: str = "cli",
) -> Importer:
    importer = Importer(session, actor)
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
