"""The name words of an index held in memory, to find the words within a typo's reach of a query
word (both backends: Whoosh per segment, PostgreSQL per change of its vocabulary).

Name words are few beside agencies (15,000 at 100,000 agencies), so a process keeps them all and
compares a query word only with the words that can be within its budget: of a near length, and
sharing enough of its letter pairs (see Words). rapidfuzz (in C) checks those.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from registry.search.matching import word_budget


def _pairs(word: str) -> set[str]:
    """The distinct letter pairs of a word, its first and last letters paired with its ends."""
    padded = f"^{word}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


class Words:
    """A fixed set of words, and the typo neighbourhoods asked of it so far (exact: the set
    never changes; a new vocabulary is a new Words).

    The pair filter: one OSA edit changes at most three of a word's letter pairs (swapping two
    letters changes the pair between them and those on either side), so a word within k edits
    of `word` holds at least len(_pairs(word)) - 3k of its pairs. Counted over an index of the
    pairs (numpy), this leaves a few dozen words to check with rapidfuzz instead of the
    thousands of a near length."""

    NEIGHBOURHOODS = 50_000  # neighbourhoods kept (a few words each)

    def __init__(self, words: Iterable[str | bytes]):
        self.words = [w.decode("utf-8") if isinstance(w, bytes) else w for w in words]
        self.lengths = np.fromiter(
            (len(w) for w in self.words), dtype=np.int32, count=len(self.words)
        )
        postings: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            for pair in _pairs(word):
                postings.setdefault(pair, []).append(i)
        self._postings = {pair: np.array(ids, dtype=np.int32) for pair, ids in postings.items()}
        self._near: dict[str, tuple[str, ...]] = {}

    def near(self, word: str) -> tuple[str, ...]:
        """The words within the typo budget of `word` (matching.word_budget, OSA edits), the
        word itself included when it is one of them."""
        found = self._near.get(word)
        if found is None:
            found = self._within(word, word_budget(len(word)))
            if len(self._near) >= self.NEIGHBOURHOODS:
                self._near.clear()
            self._near[word] = found
        return found

    def _within(self, word: str, budget: int) -> tuple[str, ...]:
        pairs = _pairs(word)
        held = [self._postings[p] for p in pairs if p in self._postings]
        needed = max(1, len(pairs) - 3 * budget)
        if len(held) < needed:
            return ()
        counts = np.bincount(np.concatenate(held), minlength=len(self.words))
        near_length = np.abs(self.lengths - len(word)) <= budget
        checked = [self.words[i] for i in np.flatnonzero((counts >= needed) & near_length)]
        return tuple(
            match
            for match, _distance, _index in process.extract_iter(
                word, checked, scorer=OSA.distance, score_cutoff=budget
            )
        )
