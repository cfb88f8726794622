"""How an agency's records become its search document (for either backend).

Documents are built from plain rows (four queries per batch of agencies, no ORM objects): a
rebuild of a million agencies spends its time on the matching rules, not on loading.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from registry.models import Agency, AgencyContact, AgencyName, Licence
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
    exact_keys: list[str]  # matching.exact_key of each name: a name typed whole finds it


def make_document(
    agency_id: int,
    *,
    names: list[str],
    country: str,
    kind: str,
    licences: list[str],
    phones: list[str],
    emails: list[str],
    websites: list[str],
) -> Document:
    """`names`: the registered name first, then the other names."""
    tokens: list[str] = []
    keys = []
    for name in names:
        words = matching.name_tokens(name)
        keys.append(" ".join(words))
        tokens.extend(t for t in words if t not in matching.STOPWORDS and t not in tokens)
    sounds = sorted({matching.sound_key(t) for t in tokens})
    identifiers = matching.identifier_keys(
        licences=licences, phones=phones, emails=emails, websites=websites, country=country
    )
    return Document(
        agency_id=agency_id,
        tokens=tokens,
        sounds=sounds,
        identifiers=identifiers,
        country=country,
        kind=kind,
        names=names,
        keys=keys,
        exact_keys=sorted({matching.exact_key(k) for k in keys} - {""}),
    )


def _documents(session: Session, agencies: list) -> list[Document]:
    """Documents of the public ones among `agencies` (rows of id, name, country, kind)."""
    ids = [a.id for a in agencies]
    names, licences = defaultdict(list), defaultdict(list)
    contacts: dict[tuple[int, str], list[str]] = defaultdict(list)
    for agency_id, name in session.execute(
        select(AgencyName.agency_id, AgencyName.name)
        .where(AgencyName.agency_id.in_(ids))
        .order_by(AgencyName.id)
    ):
        names[agency_id].append(name)
    for agency_id, kind, value in session.execute(
        select(AgencyContact.agency_id, AgencyContact.type, AgencyContact.value)
        .where(AgencyContact.agency_id.in_(ids))
        .order_by(AgencyContact.id)
    ):
        contacts[agency_id, kind].append(value)
    for agency_id, number in session.execute(
        select(Licence.agency_id, Licence.number)
        .where(Licence.agency_id.in_(ids))
        .order_by(Licence.id)
    ):
        licences[agency_id].append(number)
    return [
        make_document(
            a.id,
            names=[a.name, *names[a.id]],
            country=a.country,
            kind=a.kind,
            licences=licences[a.id],
            phones=contacts[a.id, "phone"],
            emails=contacts[a.id, "email"],
            websites=contacts[a.id, "website"],
        )
        for a in agencies
    ]


_COLUMNS = (Agency.id, Agency.name, Agency.country, Agency.kind)
# Reported names that no regulator has reviewed yet stay out of search (agencies.records.is_public)
_PUBLIC = Agency.listing == "registry"


def documents_for(session: Session, agency_ids: list[int]) -> dict[int, Document]:
    """{agency id: document} for those of `agency_ids` that exist and are public."""
    rows = []
    for start in range(0, len(agency_ids), 1000):
        rows += session.execute(
            select(*_COLUMNS).where(Agency.id.in_(agency_ids[start : start + 1000]), _PUBLIC)
        ).all()
    return {d.agency_id: d for d in _documents(session, rows)}


def document_batches(session: Session, size: int = 1000) -> Iterator[tuple[int, list[Document]]]:
    """Every public agency's document, `size` agencies at a time: (agencies read, documents)."""
    last_id = 0
    while True:
        rows = session.execute(
            select(*_COLUMNS, Agency.listing)
            .where(Agency.id > last_id)
            .order_by(Agency.id)
            .limit(size)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield len(rows), _documents(session, [r for r in rows if r.listing == "registry"])


@contextmanager
def collector_paused() -> Iterator[None]:
    """For a rebuild: the garbage collector paused. A rebuild keeps millions of objects alive
    until it commits (the postings it sorts, the documents of a batch), which every full
    collection would scan again: a ninth of a rebuild's time at 100,000 agencies, and full
    collections grow with the heap. What a rebuild leaves behind is freed by reference
    counting; the few cycles wait for the next collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
