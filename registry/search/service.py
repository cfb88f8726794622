"""The lookup: candidates from a backend, one ranking step, verdicts, then the outcome."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from registry.agencies.records import is_public, load_full, verdict_for
from registry.models import Agency
from registry.search import matching
from registry.search.whoosh_index import SearchIndex
from registry.verdict import Verdict


@dataclass
class Hit:
    agency: Agency
    verdict: Verdict
    match: str
    score: float
    matched_name: str


@dataclass
class SearchResult:
    query: str
    outcome: str
    total: int
    hits: list[Hit]


def search(*, session: Session, index: SearchIndex, text: str, on: date,
           country: str | None = None, kind: str | None = None, verdict: str | None = None,
           limit: int = 20) -> SearchResult:
    """Answer one query; `outcome` speaks of the hits that pass the filters."""
    query = matching.parse_query(text, country)
    found = index.candidates(query, country=country, kind=kind)
    ranked = matching.rank(query, found)
    agencies = load_full(session, [r.agency_id for r in ranked])
    hits: list[Hit] = []
    for r in ranked:
        agency = agencies.get(r.agency_id)
        if agency is None or not is_public(agency):  # deleted since indexed, or not public
            continue
        agency_verdict = verdict_for(agency, on)
        if verdict and agency_verdict.code != verdict:
            continue
        hits.append(Hit(agency, agency_verdict, r.match, r.score, r.matched_name))
    return SearchResult(query=query.text, outcome=matching.outcome(hits),
                        total=len(hits),
                        hits=hits[:limit])
