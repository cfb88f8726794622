"""The name words of an index held in memory, to find the words within a typo's reach of a query
word (both backends: Whoosh per segment, PostgreSQL per change of its vocabulary).

Name words are few beside agencies (15,000 at 100,000 agencies), so a process keeps them all and
compares a query word with those of a near length (rapidfuzz, in C) instead of asking the index.
"""
from __future__ import annotations

from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from registry.search.matching import word_budget


class Words:
    """A fixed set of words by length, and the typo neighbourhoods asked of it so far (exact: the
    set never changes; a new vocabulary is a new Words)."""

    NEIGHBOURHOODS = 50_000  # neighbourhoods kept (a few words each)

    def __init__(self, words: Iterable[str | bytes]):
        self.by_length: dict[int, list[str]] = {}
        for w in words:
            word = w.decode("utf-8") if isinstance(w, bytes) else w
            self.by_length.setdefault(len(word), []).append(word)
        self._near: dict[str, tuple[str, ...]] = {}

    def near(self, word: str) -> tuple[str, ...]:
        """The words within the typo budget of `word` (matching.word_budget, OSA edits), the
        word itself included when it is one of them."""
        found = self._near.get(word)
        if found is None:
            budget = word_budget(len(word))
            found = tuple(
                match for length in range(len(word) - budget, len(word) + budget + 1)
                for match, _distance, _index in process.extract_iter(
                    word, self.by_length.get(length, ()), scorer=OSA.distance,
                    score_cutoff=budget))
            if len(self._near) >= self.NEIGHBOURHOODS:
                self._near.clear()
            self._near[word] = found
        return found
