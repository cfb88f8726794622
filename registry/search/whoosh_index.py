"""Everything that touches Whoosh lives here (whoosh-reloaded 2.7.5 is frozen upstream).

The index holds one document per agency: its name words, its identifier keys and filters. It is a
cache of the database: `rebuild` recreates it from the records at any time.

Only one Whoosh writer may hold the lock. Writers here never wait for it: `try_writer` returns None
when another process is writing, and the caller leaves its work in the outbox for the next drain.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.fields import ID, KEYWORD, STORED, Schema
from whoosh.index import LockError
from whoosh.query import And, Or, Term

SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    tokens=KEYWORD(lowercase=False, commas=False),
    identifiers=KEYWORD(lowercase=False, commas=False, stored=True),
    country=ID,
    kind=ID,
    names=STORED,
)


@dataclass
class Document:
    """What the index keeps of one agency."""

    agency_id: int
    tokens: list[str]
    identifiers: set[str]
    country: str
    kind: str
    names: list[str]


class SearchIndex:
    """A Whoosh index in one folder, with per-thread searchers refreshed after each commit."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(self.directory):
            self._ix = whoosh_index.open_dir(self.directory)
        else:
            self._ix = whoosh_index.create_in(self.directory, SCHEMA)
        self._local = threading.local()
        self._vocabulary: dict[str, list[str]] = {}
        self._vocabulary_lock = threading.Lock()

    # -- writing -------------------------------------------------------------------------------
    def try_writer(self, timeout: float = 0.0):
        """A writer, or None if another process holds the lock for longer than `timeout` seconds."""
        try:
            return self._ix.writer(timeout=timeout, delay=0.05, limitmb=128)
        except LockError:
            return None

    @staticmethod
    def _fields(document: Document) -> dict:
        return {"id": str(document.agency_id), "tokens": " ".join(document.tokens),
                "identifiers": " ".join(sorted(document.identifiers)),
                "country": document.country, "kind": document.kind, "names": document.names}

    def put(self, writer, document: Document) -> None:
        writer.update_document(**self._fields(document))

    @staticmethod
    def remove(writer, agency_id: int) -> None:
        writer.delete_by_term("id", str(agency_id))

    def add_all(self, writer, documents: Iterable[Document]) -> int:
        """Add documents to a writer that will be committed with `commit_replacing_all`."""
        count = 0
        for document in documents:
            writer.add_document(**self._fields(document))
            count += 1
        return count

    @staticmethod
    def commit_replacing_all(writer) -> None:
        """Commit so that only the documents added by this writer remain."""
        writer.commit(mergetype=writing.CLEAR)

    # -- reading -------------------------------------------------------------------------------
    def _searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._ix.searcher()
        elif not searcher.up_to_date():
            # A new searcher rather than refresh(): refresh() fails when the old reader was empty.
            searcher.close()
            searcher = self._ix.searcher()
        self._local.searcher = searcher
        return searcher

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    def _vocabulary_of(self, searcher) -> list[list[str]]:
        """Name words per segment. Segments never change, so each is read once per process;
        segments merged away are forgotten."""
        with self._vocabulary_lock:
            return self._segment_words(searcher)

    def _segment_words(self, searcher) -> list[list[str]]:
        words_by_segment = []
        current = set()
        for leaf, _offset in searcher.reader().leaf_readers():
            segment = leaf.segment()
            if segment is None:  # an empty index
                continue
            key = segment.segment_id()
            current.add(key)
            if key not in self._vocabulary:
                self._vocabulary[key] = [w.decode("utf-8") if isinstance(w, bytes) else w
                                         for w in leaf.lexicon("tokens")]
            words_by_segment.append(self._vocabulary[key])
        for stale in set(self._vocabulary) - current:
            self._vocabulary.pop(stale, None)
        return words_by_segment

    def expand(self, searcher, word: str) -> set[str]:
        """The word plus the indexed words within one typo (two for long words)."""
        if len(word) < 4 or word.isdigit():
            return {word}
        max_distance = 1 if len(word) < 8 else 2
        found = {word}
        for words in self._vocabulary_of(searcher):
            for match, _distance, _index in process.extract_iter(
                    word, words, scorer=Levenshtein.distance, score_cutoff=max_distance):
                found.add(match)
        return found

    def candidates(self, *, tokens: list[str], identifiers: set[str], country: str | None,
                   kind: str | None, limit: int = 200) -> list[tuple[int, list[str], set[str]]]:
        """Agencies sharing a (typo-tolerant) name word or an identifier with the query."""
        searcher = self._searcher()
        filters = [Term(f, v) for f, v in (("country", country), ("kind", kind)) if v]
        results: dict[int, tuple[int, list[str], set[str]]] = {}
        if identifiers:
            query = Or([Term("identifiers", key) for key in identifiers])
            for hit in searcher.search(And([query, *filters]) if filters else query, limit=limit):
                matched = set(hit["identifiers"].split()) & identifiers
                results[int(hit["id"])] = (int(hit["id"]), hit["names"], matched)
        words = set()
        for token in tokens:
            words |= self.expand(searcher, token)
        if words:
            query = Or([Term("tokens", word) for word in sorted(words)])
            for hit in searcher.search(And([query, *filters]) if filters else query, limit=limit):
                agency_id = int(hit["id"])
                results.setdefault(agency_id, (agency_id, hit["names"], set()))
        return list(results.values())

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
        self._ix.close()
