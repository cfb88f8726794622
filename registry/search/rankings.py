"""The rankings of recent queries, kept per process for as long as the index is unchanged.

When a scam makes the news, thousands of people type the same few names. A lookup's candidates
and their ranking (a third of its time) depend on the query and on what the index holds, and on
nothing else: a ranking kept with the version of the index it was made from is exact for as
long as the index has that version (registry.search.backend: Whoosh's generation, which every
commit changes; PostgreSQL's counters, which every drain and rebuild bump). The records and
verdicts of the hits are not kept here: registry.agencies.listing reads them as committed at
every lookup.

A query asked for the first time costs nothing more. One asked before reads the index's
version first: with Whoosh, what the lookup reads anyway; with PostgreSQL, one round trip.
"""

from __future__ import annotations

from collections.abc import Hashable

from registry.caching import Bounded
from registry.search import matching
from registry.search.backend import SearchBackend

_Key = tuple[str, str | None, str | None]  # the query as parsed, country, kind


class RankingCache:
    """The rankings of the `size` queries asked last (0: keep none)."""

    def __init__(self, size: int = 2000):
        self.size = size
        self._kept: Bounded[tuple[Hashable, tuple[matching.Ranked, ...]]] = Bounded(size)

    def __len__(self) -> int:
        return len(self._kept)

    def ranked(
        self, index: SearchBackend, query: matching.Query, *, country: str | None, kind: str | None
    ) -> tuple[matching.Ranked, ...]:
        """The candidates of `query` in `index`, ranked (matching.rank), best first."""
        key = (query.text, country, kind)
        kept = self._kept.get(key)
        if kept is not None and kept[0] == index.version():
            return kept[1]
        version, candidates = index.candidates(query, country=country, kind=kind)
        loose = matching.without_slipped_forms(query)
        if loose is not None:  # a legal form typed with a slip: found without it as well
            found = {c.agency_id for c in candidates}
            _version, more = index.candidates(loose, country=country, kind=kind)
            candidates += [c for c in more if c.agency_id not in found]
        ranked = tuple(matching.rank(query, candidates))
        self._kept.put(key, (version, ranked))
        return ranked
