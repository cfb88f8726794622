"""Other registers' lists come in: a development bank's debarments, a tax authority's list of
companies that simulate operations, a destination country's debarred recruiters.

A mapping (JSON, see docs/lists/) says what the list is and which column holds what. Each entry
is matched by the lookup's own matching, in its country:
- the lookup is sure (its name or its id there, exactly): the sanction goes on that agency;
- it is not sure (a near name): the entry waits for a reviewer (ListMatch), who attaches it or
  makes it a new record;
- nothing close: a new public record carries the sanction.
Every sanction names its source, the entry's own id there, a link and the list's date.
Importing a newer list of the same source updates the sanctions it still holds, and marks lifted
(never deletes) those of entries the source dropped. Every change is audited. The caller
commits."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from sqlalchemy import true
from sqlmodel import Session, select

from registry.audit.changes import fields, record
from registry.countries import is_country
from registry.models import (
    Agency,
    AgencyName,
    Authority,
    ListMatch,
    ListSource,
    Sanction,
    User,
)
from registry.search import lookup
from registry.search.matching import name_key
from registry.vocab import AGENCY_KINDS, SANCTION_TYPES


class MappingError(ValueError):
    """The mapping cannot be used (said before anything is read)."""


@dataclass
class Entry:
    line: int
    ref: str
    name: str
    country: str
    kind: str
    starts_on: date | None
    ends_on: date | None
    summary: str
    aliases: list[str] = field(default_factory=list)
    url: str = ""


@dataclass
class Outcome:
    rows: int = 0
    skipped: int = 0  # left out by the mapping's `keep`, or without a name or a country
    attached: int = 0
    created: int = 0
    uncertain: int = 0
    updated: int = 0
    unchanged: int = 0
    lifted: int = 0
    problems: list[str] = field(default_factory=list)  # "line N: ..."


@dataclass
class Mapping:
    source: dict
    columns: dict
    encoding: str = "utf-8"
    header_line: int = 1
    country: str = ""  # when no column gives it
    date_formats: tuple = ("%Y-%m-%d",)
    open_ended: tuple = ()  # values of the end column meaning "no end" ("Ongoing")
    keep: dict | None = None  # {"column": ..., "values": [...]}: the entries that count
    kinds: dict = field(default_factory=dict)  # a kind column's values -> registry kinds
    alias_pattern: str = ""  # a regular expression whose group 1 is an alias inside the name

    @classmethod
    def read(cls, path: Path) -> Mapping:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            mapping = cls(**raw)
        except (OSError, ValueError, TypeError) as error:
            raise MappingError(f"{path}: {error}") from error
        for needed in ("name",):
            if needed not in mapping.columns:
                raise MappingError(f"{path}: columns must say which column holds the {needed}")
        if not mapping.source.get("name"):
            raise MappingError(f"{path}: the source needs a name")
        if mapping.source.get("sanction_type", "warning") not in SANCTION_TYPES:
            raise MappingError(f"{path}: sanction_type must be one of {', '.join(SANCTION_TYPES)}")
        if not mapping.country and "country" not in mapping.columns:
            raise MappingError(f"{path}: give a country column or a fixed country")
        return mapping


_COUNTRIES = {n.lower(): c for c, n in Locale("en").territories.items() if len(c) == 2}


def _country(value: str) -> str:
    value = value.strip()
    if len(value) == 2 and is_country(value):
        return value.upper()
    return _COUNTRIES.get(value.lower(), "")


def _date(value: str, formats: tuple) -> date | None:
    value = value.strip()
    for pattern in formats:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def entries(mapping: Mapping, text: str, outcome: Outcome) -> Iterator[Entry]:
    """The entries of a list, as the mapping reads them; what cannot be read is counted and
    said by line."""
    lines = text.splitlines(keepends=True)[mapping.header_line - 1 :]
    columns = mapping.columns
    alias = re.compile(mapping.alias_pattern) if mapping.alias_pattern else None
    for number, row in enumerate(csv.DictReader(io.StringIO("".join(lines))), start=2):
        line = number + mapping.header_line - 1
        outcome.rows += 1
        if (
            mapping.keep
            and row.get(mapping.keep["column"], "").strip() not in mapping.keep["values"]
        ):
            outcome.skipped += 1
            continue
        name = (row.get(columns["name"]) or "").strip()
        aliases = []
        if alias is not None:
            aliases = [a.strip() for a in alias.findall(name) if a.strip()]
            name = alias.sub("", name).strip(" ,")
        if "aliases" in columns and (row.get(columns["aliases"]) or "").strip():
            aliases.append(row[columns["aliases"]].strip())
        country = _country(row.get(columns.get("country", ""), "") or "") or mapping.country
        if not name or not country:
            outcome.skipped += 1
            outcome.problems.append(f"line {line}: no name or no country it can read")
            continue
        ends_raw = (row.get(columns.get("ends_on", ""), "") or "").strip()
        kind_raw = (row.get(columns.get("kind", ""), "") or "").strip()
        yield Entry(
            line=line,
            ref=(row.get(columns.get("ref", ""), "") or "").strip()
            or f"{country}:{name_key(name)}",
            name=name[:300],
            country=country,
            kind=mapping.kinds.get(kind_raw, "agency") if mapping.kinds else "agency",
            starts_on=_date(row.get(columns.get("starts_on", ""), "") or "", mapping.date_formats),
            ends_on=None
            if ends_raw in mapping.open_ended
            else _date(ends_raw, mapping.date_formats),
            summary=(row.get(columns.get("summary", ""), "") or "").strip()[:4000],
            aliases=[a[:300] for a in aliases],
            url=(row.get(columns.get("url", ""), "") or "").strip()[:500],
        )


def _source(session: Session, mapping: Mapping, published_on: date) -> ListSource:
    """The source and the authority its sanctions name (created the first time)."""
    info = mapping.source
    found = session.exec(select(ListSource).where(ListSource.name == info["name"])).first()
    found = found or ListSource(name=info["name"])
    found.publisher, found.url = info.get("publisher", ""), info.get("url", "")
    found.sanction_type = info.get("sanction_type", "warning")
    found.published_on = published_on
    authority = session.get(Authority, found.authority_id) if found.authority_id else None
    if authority is None:
        authority = Authority(
            name=info.get("publisher") or info["name"],
            kind="register",
            country=mapping.country,
            website=found.url[:300],
        )
        session.add(authority)
        session.flush()
        found.authority_id = authority.id
    session.add(found)
    session.flush()
    return found


SANCTION_FIELDS = (
    "type",
    "country",
    "starts_on",
    "ends_on",
    "summary",
    "source_ref",
    "source_url",
    "published_on",
    "lifted_on",
    "lift_reason",
)


def place(
    session: Session,
    *,
    source: ListSource,
    entry: Entry,
    agency: Agency,
    published_on: date,
    actor: str,
) -> Sanction:
    """Put (or refresh) the entry's sanction on `agency`."""
    sanction = session.exec(
        select(Sanction).where(Sanction.source_id == source.id, Sanction.source_ref == entry.ref)
    ).first()
    before = fields(sanction, SANCTION_FIELDS) if sanction is not None else {}
    sanction = sanction or Sanction(
        agency_id=agency.id,
        authority_id=source.authority_id,
        source_id=source.id,
        source_ref=entry.ref,
        status="in_force",
    )
    sanction.type, sanction.country = source.sanction_type, entry.country
    sanction.starts_on = entry.starts_on or published_on
    sanction.ends_on, sanction.summary = entry.ends_on, entry.summary
    sanction.source_url = entry.url or source.url
    sanction.published_on = published_on
    sanction.decision_ref = entry.ref[:120]
    sanction.lifted_on, sanction.lift_reason = None, ""  # back on the list
    session.add(sanction)
    session.flush()
    after = fields(sanction, SANCTION_FIELDS)
    if before != after:
        record(
            session,
            by=actor,
            action="sanction.import",
            obj=sanction,
            agency_id=sanction.agency_id,
            before=before,
            after=after,
        )
    return sanction


def new_record(session: Session, *, entry: Entry, actor: str) -> Agency:
    agency = Agency(
        name=entry.name, name_key=name_key(entry.name), country=entry.country, kind=entry.kind
    )
    agency.names = [AgencyName(name=a, type="alias") for a in entry.aliases]
    session.add(agency)
    session.flush()
    record(
        session,
        by=actor,
        action="agency.import",
        obj=agency,
        agency_id=agency.id,
        before={},
        after={
            "name": agency.name,
            "country": agency.country,
            "kind": agency.kind,
            "aliases": entry.aliases,
        },
    )
    return agency


def import_list(session: Session, *, mapping: Mapping, path: Path, published_on: date) -> Outcome:
    """Import one list (see the module's docstring). Runs inside an app context (the lookup)."""
    outcome = Outcome()
    try:
        text = path.read_text(encoding=mapping.encoding)
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(f"{path}: cannot be read as {mapping.encoding}: {error}") from error
    source = _source(session, mapping, published_on)
    actor = f"import:{source.name}"[:200]
    seen: set[str] = set()
    for entry in entries(mapping, text, outcome):
        if entry.kind not in AGENCY_KINDS:
            entry.kind = "agency"
        seen.add(entry.ref)
        existing = session.exec(
            select(Sanction).where(
                Sanction.source_id == source.id, Sanction.source_ref == entry.ref
            )
        ).first()
        if existing is not None:  # known from an earlier import: refreshed where it is
            before = fields(existing, SANCTION_FIELDS)
            place(
                session,
                source=source,
                entry=entry,
                agency=existing.agency,
                published_on=published_on,
                actor=actor,
            )
            changed = {k for k in before if before[k] != getattr(existing, k)} - {"published_on"}
            outcome.updated += bool(changed)
            outcome.unchanged += not changed
            continue
        # The same name in the country, in the database: sure, even while the index catches up
        # with records this import just made.
        same_name = session.exec(
            select(Agency).where(
                Agency.name_key == name_key(entry.name),
                Agency.country == entry.country,
                Agency.merged_into_id.is_(None),
            )
        ).first()
        hits = [] if same_name else lookup(entry.name, limit=3, country=entry.country).hits
        best = hits[0] if hits else None
        if same_name is not None or (best is not None and best.match == "exact"):
            agency = same_name or session.get(Agency, best.agency.id)
            place(
                session,
                source=source,
                entry=entry,
                agency=agency,
                published_on=published_on,
                actor=actor,
            )
            outcome.attached += 1
        elif best is not None and best.match == "strong":
            waiting = session.exec(
                select(ListMatch).where(
                    ListMatch.source_id == source.id,
                    ListMatch.source_ref == entry.ref,
                    ListMatch.state == "pending",
                )
            ).first()
            waiting = waiting or ListMatch(
                source_id=source.id, source_ref=entry.ref, line=entry.line, agency_id=best.agency.id
            )
            waiting.entry = json.dumps(asdict(entry), default=str, ensure_ascii=False)
            waiting.score, waiting.line = best.score, entry.line
            session.add(waiting)
            outcome.uncertain += 1
        else:
            agency = new_record(session, entry=entry, actor=actor)
            place(
                session,
                source=source,
                entry=entry,
                agency=agency,
                published_on=published_on,
                actor=actor,
            )
            outcome.created += 1
    dropped = session.exec(
        select(Sanction).where(
            Sanction.source_id == source.id,
            Sanction.lifted_on.is_(None),
            Sanction.source_ref.not_in(seen) if seen else true(),
        )
    ).all()
    for sanction in dropped:
        before = fields(sanction, SANCTION_FIELDS)
        sanction.lifted_on = published_on
        sanction.lift_reason = f"No longer on the list of {published_on.isoformat()}"
        session.add(sanction)
        session.flush()
        record(
            session,
            by=actor,
            action="sanction.lift",
            obj=sanction,
            agency_id=sanction.agency_id,
            before=before,
            after=fields(sanction, SANCTION_FIELDS),
        )
        outcome.lifted += 1
    record(
        session,
        by=actor,
        action="list.import",
        obj=source,
        agency_id=None,
        before={},
        after={
            "file": path.name,
            "published_on": published_on.isoformat(),
            **{k: v for k, v in asdict(outcome).items() if k != "problems"},
        },
    )
    return outcome


def decide(session: Session, *, match: ListMatch, same: bool, actor: User) -> Sanction:
    """A reviewer's answer on an uncertain entry: the same agency (attach), or another (a new
    record)."""
    source = session.get(ListSource, match.source_id)
    entry = Entry(**{k: v for k, v in json.loads(match.entry).items()})
    for key in ("starts_on", "ends_on"):
        value = getattr(entry, key)
        setattr(entry, key, date.fromisoformat(value) if value else None)
    agency = (
        session.get(Agency, match.agency_id)
        if same
        else new_record(session, entry=entry, actor=actor.email)
    )
    sanction = place(
        session,
        source=source,
        entry=entry,
        agency=agency,
        published_on=source.published_on or date.today(),
        actor=actor.email,
    )
    match.state, match.decided_by_id = ("attached" if same else "created"), actor.id
    session.add(match)
    return sanction
