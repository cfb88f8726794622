"""Placement returns: the workers a licensed agency placed each year in each destination, by
sex, recorded by the authority that issued the licence (or imported with
`import-placements`). The caller commits; every change is audited."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from registry.audit.changes import fields, record
from registry.clock import today
from registry.countries import is_country
from registry.models import Licence, PlacementReturn, User, utcnow
from registry.regulation.operations import RuleBroken, authorize
from registry.search.matching import licence_key

FIELDS = ("year", "destination", "women", "men", "unspecified")
COLUMNS = ("licence_number", "licence_country", *FIELDS)
MOST = 10_000_000  # a count above this is a typing mistake


def _clean(year, destination, women, men, unspecified) -> dict:
    try:
        year, counts = int(year), [int(n or 0) for n in (women, men, unspecified)]
    except (TypeError, ValueError) as error:
        raise RuleBroken(_l("Write the year and the numbers of workers in digits.")) from error
    if not 1990 <= year <= today().year:
        raise RuleBroken(_l("Give a year from 1990 to this year."))
    destination = (destination or "").strip().upper()
    if not is_country(destination):
        raise RuleBroken(_l("Choose the destination country."))
    if any(n < 0 or n > MOST for n in counts):
        raise RuleBroken(_l("The numbers of workers must be whole numbers, 0 or more."))
    return dict(zip(FIELDS, [year, destination, *counts], strict=True))


def save(session: Session, *, actor: User | str, licence: Licence, **values) -> PlacementReturn:
    """Record (or correct) the return of `licence` for a year and destination."""
    if isinstance(actor, User):
        authorize(actor, "placements.record", licence)
    cleaned = _clean(**{k: values.get(k) for k in FIELDS})
    found = session.exec(
        select(PlacementReturn).where(
            PlacementReturn.licence_id == licence.id,
            PlacementReturn.year == cleaned["year"],
            PlacementReturn.destination == cleaned["destination"],
        )
    ).first()
    before = fields(found, FIELDS) if found is not None else {}
    found = found or PlacementReturn(licence_id=licence.id, **cleaned)
    for key, value in cleaned.items():
        setattr(found, key, value)
    found.updated_at = utcnow()
    session.add(found)
    session.flush()
    record(
        session,
        by=actor,
        action="placements.update" if before else "placements.record",
        obj=found,
        agency_id=licence.agency_id,
        before=before,
        after={"licence_id": licence.id, **fields(found, FIELDS)},
    )
    return found


def of(session: Session, licence: Licence) -> list[PlacementReturn]:
    return list(
        session.exec(
            select(PlacementReturn)
            .where(PlacementReturn.licence_id == licence.id)
            .order_by(PlacementReturn.year.desc(), PlacementReturn.destination)
        ).all()
    )


@dataclass
class Problem:
    line: int
    message: str


def load_csv(session: Session, data: bytes, *, actor: str) -> tuple[int, list[Problem]]:
    """Import returns from CSV (COLUMNS). Every row is checked; any problem (reported by line)
    and nothing is kept: the caller rolls back."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return 0, [Problem(1, "the file is not UTF-8 text")]
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return 0, [Problem(1, f"missing columns: {', '.join(missing)}")]
    done, problems = 0, []
    for line, row in enumerate(reader, start=2):
        licence = session.exec(
            select(Licence).where(
                Licence.number_key == licence_key(row["licence_number"] or ""),
                Licence.country == (row["licence_country"] or "").strip().upper(),
            )
        ).first()
        if licence is None:
            problems.append(Problem(line, "no licence with this number in this country"))
            continue
        try:
            save(session, actor=actor, licence=licence, **{k: row[k] for k in FIELDS})
            done += 1
        except RuleBroken as error:
            problems.append(Problem(line, str(error)))
    return done, problems
