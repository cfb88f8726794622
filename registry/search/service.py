"""The lookup: candidates from a backend, one ranking step, verdicts, then the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Connection

from registry.agencies.listing import ListedAgency, ListingCache
from registry.agencies.records import is_public
from registry.search import matching
from registry.search.backend import SearchBackend
from registry.search.rankings import RankingCache
from registry.verdict import Verdict


@dataclass
class Hit:
    agency: ListedAgency
    verdict: Verdict
    match: str
    score: float
    matched_name: str
    other_holder: bool = False  # found by a number typed beside someone else's name
    partial: bool = False  # the name typed is the registered one without its generic words
    order: tuple = ()  # how it ranked (matching.Ranked.order): equal orders are a tie

    @property
    def by_other_name(self) -> bool:
        """Found under a name other than the agency's own (a trade or former name)."""
        return bool(self.matched_name) and self.matched_name != self.agency.name

    @property
    def by_former_name(self) -> bool:
        """Found under a name the agency used before: the same entity under its old name."""
        return self.by_other_name and any(
            n.name == self.matched_name and n.type == "former" for n in self.agency.names
        )


@dataclass
class SearchResult:
    query: str
    outcome: str
    total: int
    hits: list[Hit]
    warnings: list[str] = field(default_factory=list)  # see warnings_for


LICENSED = {"licensed", "licensed_with_warnings"}


def warnings_for(outcome: str, hits: list[Hit]) -> list[str]:
    """The warning a result carries, if any (the most urgent one); the texts are in
    templates/public/results.html.

    - number_of_another: a licence number or tax id typed beside a name that is not its
      holder's;
    - same_name: what was typed is, exactly, the name (or phone, or website) of several
      agencies: it cannot say which one is meant;
    - look_alike: the names found only look like the one typed, and one of them is licensed
      (the classic impersonation of a licensed agency);
    - spelling_differs: the match is the name typed give or take a typo;
    - name_is_longer: the match is the name typed with more words ("Agencia ...", "...
      Services"), which the papers should carry too.
    """
    if any(h.other_holder for h in hits):
        return ["number_of_another"]
    if outcome == "similar" and matching.same_name(hits):
        return ["same_name"]
    if outcome == "similar" and any(
        h.match == "similar" and h.verdict.code in LICENSED for h in hits
    ):
        return ["look_alike"]
    if outcome == "match" and hits[0].partial:
        return ["name_is_longer"]
    if outcome == "match" and hits[0].match == "strong":
        return ["spelling_differs"]
    return []


def search(
    *,
    connection: Connection,
    index: SearchBackend,
    text: str,
    on: date,
    country: str | None = None,
    kind: str | None = None,
    verdict: str | None = None,
    limit: int = 20,
    listing: ListingCache | None = None,
    rankings: RankingCache | None = None,
) -> SearchResult:
    """Answer one query; `outcome` speaks of the hits that pass the filters.

    The candidates are ranked through `rankings` (the app's, which keeps the rankings of recent
    queries while the index is unchanged; none: rank afresh). Records are loaded only for the
    hits shown (a window at a time when a verdict filter drops some), through `listing` (the
    app's, which keeps what it read; none: read everything); `total` counts every candidate
    that ranked, or every one passing the verdict filter.
    """
    listing = listing if listing is not None else ListingCache(size=0)
    rankings = rankings if rankings is not None else RankingCache(size=0)
    query = matching.parse_query(text, country)
    ranked = rankings.ranked(index, query, country=country, kind=kind)
    hits: list[Hit] = []
    seen = 0
    window = limit if not verdict else max(limit, 50)
    for start in range(0, len(ranked), window):
        chunk = ranked[start : start + window]
        agencies = listing.load(connection, [r.agency_id for r in chunk], on)
        for r in chunk:
            agency, agency_verdict = agencies.get(r.agency_id, (None, None))
            if agency is None or not is_public(agency):  # changed since it was indexed
                continue
            if verdict and agency_verdict.code != verdict:
                continue
            seen += 1
            if len(hits) < limit:
                hits.append(
                    Hit(
                        agency,
                        agency_verdict,
                        r.match,
                        r.score,
                        r.matched_name,
                        r.other_holder,
                        r.partial,
                        r.order,
                    )
                )
        if len(hits) >= limit and not verdict:
            seen += len(ranked) - start - len(chunk)
            break
    outcome = matching.outcome(hits)
    return SearchResult(
        query=query.text,
        outcome=outcome,
        total=seen,
        hits=hits,
        warnings=warnings_for(outcome, hits),
    )
