"""Everything that touches Whoosh lives here (whoosh-reloaded 2.7.5 is frozen upstream).

The index holds one document per agency: its name words, its identifier keys and filters. It is a
cache of the database: `rebuild` recreates it from the records at any time.

Only one Whoosh writer may hold the lock. Writers here never wait for it: `try_writer` returns None
when another process is writing, and the caller leaves its work in the outbox for the next drain.
"""
from __future__ import annotations

import heapq
import threading
from collections import defaultdict
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.fields import ID, KEYWORD, STORED, Schema
from whoosh.index import LockError
from whoosh.reading import TermNotFound

from registry.search.documents import Document
from registry.search.matching import (COMMON, SHARED_DOMAIN, Candidate, Query, sound_key,
                                      word_budget, word_weight)
from registry.search.vocabulary import Words

# The keyword fields are scorable (Whoosh keeps their lengths) although nothing is scored: when
# it writes a segment, Whoosh asks for the length of every posting, and for a field without
# lengths it looks on disk for the missing file each time (a sixth of a rebuild's time).
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    tokens=KEYWORD(lowercase=False, commas=False, scorable=True),
    sounds=KEYWORD(lowercase=False, commas=False, scorable=True),
    identifiers=KEYWORD(lowercase=False, commas=False, stored=True, scorable=True),
    country=ID,
    kind=ID,
    names=STORED,
    keys=STORED,
)
# Bump when the schema or what goes into a document changes: an index of another format is
# recreated empty (stale = True) and rebuilt from the database by `init-db`.
FORMAT = "4"
STORED_KEPT = 50_000  # documents' stored fields a thread keeps (a few hundred bytes each)


class SearchIndex:
    """A Whoosh index in one folder, with per-thread searchers refreshed after each commit."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        format_file = self.directory / "registry-format"
        current = format_file.read_text().strip() if format_file.exists() else None
        self.stale = False
        if whoosh_index.exists_in(self.directory) and current == FORMAT:
            self._ix = whoosh_index.open_dir(self.directory)
        else:
            self.stale = whoosh_index.exists_in(self.directory)
            self._ix = whoosh_index.create_in(self.directory, SCHEMA)
            format_file.write_text(FORMAT + "\n")
        self._local = threading.local()
        self._vocabulary: dict[str, Words] = {}
        self._vocabulary_lock = threading.Lock()

    # -- writing -------------------------------------------------------------------------------
    def try_writer(self, timeout: float = 0.0, limitmb: int = 128):
        """A writer, or None if another process holds the lock for longer than `timeout` seconds.
        `limitmb`: the memory its postings may take before it sorts them on disk."""
        try:
            return self._ix.writer(timeout=timeout, delay=0.05, limitmb=limitmb)
        except LockError:
            return None

    @staticmethod
    def _fields(document: Document) -> dict:
        return {"id": str(document.agency_id), "tokens": " ".join(document.tokens),
                "sounds": " ".join(document.sounds),
                "identifiers": " ".join(sorted(document.identifiers)),
                "country": document.country, "kind": document.kind, "names": document.names,
                "keys": document.keys}

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

    @staticmethod
    def commit_optimized(writer) -> None:
        """Commit, merging every segment into one (nothing to do for one segment without
        deletions: Whoosh would still rewrite it, a minute per million agencies)."""
        segments = writer.segments
        if len(segments) <= 1 and not any(s.has_deletions() for s in segments):
            writer.cancel()
            return
        writer.commit(optimize=True)

    # -- reading -------------------------------------------------------------------------------
    def _searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None or not searcher.up_to_date():
            if searcher is not None:
                # A new searcher rather than refresh(): refresh() fails when the old reader
                # was empty.
                searcher.close()
            searcher = self._ix.searcher()
            self._local.stored = {}  # stored fields by document number, for this searcher
        self._local.searcher = searcher
        return searcher

    def _stored(self, reader, docnum: int) -> dict:
        """A document's stored fields (names, keys, identifiers), kept while the searcher
        is: popular agencies come up in lookup after lookup."""
        stored = self._local.stored
        fields = stored.get(docnum)
        if fields is None:
            if len(stored) >= STORED_KEPT:
                stored.clear()
            fields = stored[docnum] = reader.stored_fields(docnum)
        return fields

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    def warm(self) -> None:
        """Read what the first lookup would (the name vocabulary: seconds at a million
        agencies), so that no user waits for it."""
        self._vocabulary_of(self._searcher())

    def _vocabulary_of(self, searcher) -> list[Words]:
        """Name words per segment. Segments never change, so each is read once per process;
        segments merged away are forgotten."""
        with self._vocabulary_lock:
            return self._segment_words(searcher)

    def _segment_words(self, searcher) -> list[Words]:
        words_by_segment = []
        current = set()
        for leaf, _offset in searcher.reader().leaf_readers():
            segment = leaf.segment()
            if segment is None:  # an empty index
                continue
            key = segment.segment_id()
            current.add(key)
            if key not in self._vocabulary:
                self._vocabulary[key] = Words(leaf.lexicon("tokens"))
            words_by_segment.append(self._vocabulary[key])
        for stale in set(self._vocabulary) - current:
            self._vocabulary.pop(stale, None)
        return words_by_segment

    def expand(self, searcher, word: str) -> set[str]:
        """The word plus the indexed words within its typo budget (matching.word_budget)."""
        if word_budget(len(word)) == 0 or word.isdigit():
            return {word}
        found = {word}
        for segment in self._vocabulary_of(searcher):
            found.update(segment.near(word))
        return found

    def candidates(self, query: Query, *, country: str | None = None, kind: str | None = None,
                   limit: int = 100) -> list[Candidate]:
        """Agencies sharing an identifier, or a name word (give or take a typo, or said the same
        way), with the query; the `limit` sharing the most and rarest words.

        Read straight from the postings (Whoosh's scoring collector cost 3 ms a lookup), with
        the same choice as the PostgreSQL backend's: weights from matching.word_weight, ties to
        the older document."""
        searcher = self._searcher()
        reader = searcher.reader()
        filters = [[(f, v)] for f, v in (("country", country), ("kind", kind)) if v]
        results: dict[int, Candidate] = {}
        identifiers = {k for k in query.identifier_keys if not k.startswith("dom:")
                       or reader.doc_frequency("identifiers", k) <= SHARED_DOMAIN}
        if identifiers:
            found = _union(reader, [("identifiers", k) for k in identifiers])
            for docnum in _holding(reader, sorted(found), filters, limit):
                stored = self._stored(reader, docnum)
                matched = set(stored["identifiers"].split()) & identifiers
                results[int(stored["id"])] = Candidate(int(stored["id"]), stored["names"],
                                                       matched, stored["keys"])
        for docnum in self._name_matches(searcher, reader, query, filters, limit):
            stored = self._stored(reader, docnum)
            agency_id = int(stored["id"])
            if agency_id not in results:
                results[agency_id] = Candidate(agency_id, stored["names"], set(), stored["keys"])
        return list(results.values())

    def _name_matches(self, searcher, reader, query: Query, filters: list,
                      limit: int) -> list[int]:
        """Each query word stands for itself, the indexed words within its typo budget and its
        sound key. Words found in at most COMMON agencies find candidates; the others (agencia,
        servicios, manpower...) only narrow: they count among candidates found by a rare word,
        and when every word is common, candidates must have them all. Walking the postings of a word in thousands of agencies is what makes a
        lookup slow, and such a word alone never makes a match."""
        groups = []
        for token in query.tokens:
            terms = [("tokens", w) for w in sorted(self.expand(searcher, token))]
            terms.append(("sounds", sound_key(token)))
            frequency = sum(reader.doc_frequency(f, t) for f, t in terms)
            if frequency:
                groups.append((frequency, terms))
        if not groups:
            return []
        rare = [(frequency, terms) for frequency, terms in groups if frequency <= COMMON]
        if not rare:  # the first `limit` agencies holding them all, the rarest word leading
            groups.sort(key=lambda group: group[0])
            leading = heapq.merge(*(_ids(reader, f, t) for f, t in groups[0][1]))
            return _holding(reader, leading, [terms for _, terms in groups[1:]] + filters,
                            limit)
        scores: dict[int, float] = defaultdict(float)
        for frequency, terms in rare:
            weight = word_weight(frequency)
            for docnum in _union(reader, terms):
                scores[docnum] += weight
        passing = _holding(reader, sorted(scores), filters) if filters else sorted(scores)
        if len(passing) > limit:  # the common words typed tell the many apart
            for frequency, terms in groups:
                if frequency > COMMON:
                    for docnum in _holding(reader, passing, [terms]):
                        scores[docnum] += word_weight(frequency)
        return heapq.nsmallest(limit, passing, key=lambda d: (-scores[d], d))

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
        self._ix.close()


# -- reading postings --------------------------------------------------------------------------
def _ids(reader, field: str, text: str) -> Iterator[int]:
    """The documents holding a term, in order (deleted ones left out by the reader)."""
    try:
        return reader.postings(field, text).all_ids()
    except TermNotFound:
        return iter(())


def _union(reader, terms: list[tuple[str, str]]) -> set[int]:
    return set(chain.from_iterable(_ids(reader, f, t) for f, t in terms))


def _holding(reader, docnums: Iterable[int], groups: list[list[tuple[str, str]]],
             limit: int | None = None) -> list[int]:
    """The documents among `docnums` (in increasing order) holding a term of every group, the
    first `limit` of them: the groups' postings are skipped through, never read whole."""
    matchers = []
    for terms in groups:
        found = []
        for field, text in terms:
            try:
                found.append(reader.postings(field, text))
            except TermNotFound:
                pass
        if not found:
            return []
        matchers.append(found)
    kept: list[int] = []
    last = -1
    for docnum in docnums:
        if docnum == last:
            continue
        last = docnum
        if all(_holds(group, docnum) for group in matchers):
            kept.append(docnum)
            if len(kept) == limit:
                break
    return kept


def _holds(matchers: list, docnum: int) -> bool:
    for matcher in matchers:
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            return True
    return False
