"""Everything that touches Whoosh lives here and in whoosh_private.py, which holds every use of
Whoosh's private API (whoosh-reloaded 2.7.5 is frozen upstream).

The index holds one document per agency: its name words, its identifier keys and filters. It is a
cache of the database: `rebuild` recreates it from the records at any time.

Only one Whoosh writer may hold the lock. Writers here never wait for it: `try_writer` returns None
when another process is writing, and the caller leaves its work in the outbox for the next drain.

Lookups read the postings straight from the segments, and each process keeps what it read of a
segment (its name words, the document numbers of the terms asked) for as long as the segment
lives: segments never change but for deletions, which are applied on every read. What a lookup
needs of a candidate (its id, names, name keys and identifiers) is one marshalled tuple in a
column of its segment (`record`), read without unpickling anything.
"""

from __future__ import annotations

import gc
import heapq
import marshal
import threading
import time
import weakref
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from whoosh import columns, writing
from whoosh import index as whoosh_index
from whoosh.fields import COLUMN, ID, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.util.filelock import try_for

from registry.caching import Bounded
from registry.search.documents import Document
from registry.search.matching import (
    COMMON,
    SHARED_DOMAIN,
    Candidate,
    Query,
    exact_keys,
    sound_key,
    word_budget,
    word_weight,
)
from registry.search.vocabulary import Words
from registry.search.whoosh_private import TABLES_OF_CONTENTS, new_writer, read_postings

# The word fields are given lists of words, which Whoosh indexes as they are (no analysis), and
# record only which documents hold a word: nothing is scored. Nothing is a stored field: a
# candidate's record is a column of plain bytes (Whoosh's stored fields are a pickled dict per
# document, compressed: several times slower to read than the column and marshal).
SCHEMA = Schema(
    id=ID(unique=True),
    tokens=ID,
    sounds=ID,
    identifiers=ID,
    exact=ID,  # matching.exact_key of each name
    country=ID,
    kind=ID,
    record=COLUMN(columns.VarBytesColumn()),
)
# Bump when the schema or what goes into a document changes: an index of another format is
# recreated empty (stale = True) and rebuilt from the database by `init-db`.
FORMAT = "9"  # 8: each name's exact key (matching.exact_key); 9: "i" a stopword
# A candidate's record (the `record` column, marshalled): agency id, names, name keys,
# identifiers. marshal's format 4 has read the same since Python 3.4; the index is rebuilt from
# the database should it ever change (FORMAT).
_Record = tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]
MARSHAL_VERSION = 4
RECORDS_KEPT = 50_000  # records a thread keeps (a few hundred bytes each)
# Up to this many documents, which of them hold a term is found by bisecting each of its
# postings (its cost grows with the documents); beyond, with a table over the segment's document
# numbers (its cost is fixed by the segment's size): the two cross near here.
BISECT_UP_TO = 4096


class IndexUnavailable(RuntimeError):
    """The index on disk cannot be read (files missing or corrupt, or being repaired): lookups
    answer 503 and /healthz says so until the indexer or `reindex` has rebuilt it."""


REPAIRING = "registry-repairing"  # present while an index is rebuilt from nothing
RETRY_AFTER_S = 1.0  # a thread that could not read the index tries again after this long


def _unless_unreadable(read):
    """`read()`, or IndexUnavailable saying what failed. Whoosh leaves the files it had opened
    on the way to a failure to the garbage collector: they are closed here, at once (only on
    failures, and at most once a second a thread for lookups), rather than piling up while the
    index is broken."""
    try:
        return read()
    except (IndexUnavailable, LockError):
        raise
    except Exception as error:  # noqa: BLE001 - whatever the files' state made fail
        problem = type(error).__name__  # its message may name files, and /healthz is public
    gc.collect()  # the failure's frames, and the files they held, refer to each other
    raise IndexUnavailable(f"the search index cannot be read: {problem}")


class SearchIndex:
    """A Whoosh index in one folder, with per-thread searchers refreshed after each commit.

    Whatever state the folder is in, opening it never fails: an unreadable index is reported by
    `problem()` (for /healthz), lookups raise IndexUnavailable, and `repair()` rebuilds it. A
    process that read the index before it broke keeps answering from what it read until the
    repaired one is committed, then moves to it by itself."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        format_file = self.directory / "registry-format"
        current = format_file.read_text().strip() if format_file.exists() else None
        # An index of another format is not opened: its table of contents may name classes
        # that are gone.
        written = any(self.directory.glob("_MAIN_*.toc"))
        self.stale = False
        self._ix = None  # opened by _index(), once it can be: a broken one is left for repair()
        if not (current == FORMAT and (written or any(self.directory.glob("MAIN_*.seg")))):
            self.stale = written
            self._ix = whoosh_index.create_in(self.directory, SCHEMA)
            format_file.write_text(FORMAT + "\n")
        self._local = threading.local()
        self._segments: dict[str, _Segment] = {}
        self._segments_lock = threading.Lock()

    def _index(self):
        """The Whoosh index, opened on first use; IndexUnavailable while its table of contents
        is missing or unreadable."""
        if self._ix is None:
            self._ix = _unless_unreadable(lambda: whoosh_index.open_dir(self.directory))
        return self._ix

    def _has_readable_contents(self) -> bool:
        try:
            return _unless_unreadable(lambda: whoosh_index.exists_in(self.directory))
        except IndexUnavailable:  # there, but garbage
            return False

    def _tables_of_contents(self) -> tuple[tuple[str, int, int], ...]:
        """The tables of contents as they are now: a rebuilt index may reuse a name."""
        found = []
        for path in self.directory.glob(TABLES_OF_CONTENTS):
            try:
                stat = path.stat()
            except FileNotFoundError:  # replaced meanwhile
                continue
            found.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(sorted(found))

    # -- health and repair ----------------------------------------------------------------------
    def problem(self) -> str | None:
        """What is wrong with the index on disk, read afresh (its table of contents and every
        segment's files, as a new process would), or None."""
        if (self.directory / REPAIRING).exists():
            return "being rebuilt"

        def read_through() -> None:
            with whoosh_index.open_dir(self.directory).searcher() as searcher:
                for leaf, _offset in searcher.reader().leaf_readers():
                    if leaf.doc_count_all():
                        _records(leaf)[leaf.doc_count_all() - 1]
                        leaf.field_length("tokens")

        try:
            _unless_unreadable(read_through)
        except IndexUnavailable as error:
            return str(error)
        return None

    def repair(self, rebuild) -> bool:
        """Rebuild an index that cannot be read (or has lost its documents) with `rebuild()`;
        False when another process holds the lock. An index whose table of contents is
        readable is replaced in one commit (readers keep the old one until then); one without
        is first recreated empty under the lock, and REPAIRING, kept until a rebuild succeeds,
        tells readers and health to wait for it (and the next repair to try again, should this
        one stop half-way)."""
        marker = self.directory / REPAIRING
        if not self._has_readable_contents():
            lock = FileStorage(str(self.directory)).lock("MAIN_WRITELOCK")
            if not lock.acquire(False):
                return False  # another process is writing: it will be noticed again
            try:
                marker.touch()
                self._ix = whoosh_index.create_in(self.directory, SCHEMA)
            finally:
                lock.release()
        rebuild()
        marker.unlink(missing_ok=True)
        return True

    # -- writing -------------------------------------------------------------------------------
    def try_writer(self, timeout: float = 0.0, limitmb: int = 128, rebuilding: bool = False):
        """A writer, or None if another process holds the lock for longer than `timeout` seconds.
        `limitmb`: the memory its postings may take before it sorts them on disk."""
        if (self.directory / REPAIRING).exists() and not rebuilding:
            return None  # changes wait in the outbox until the rebuild is done
        index = self._index()
        # The lock is taken here rather than by the writer: a writer that fails after taking
        # it (an unreadable table of contents) would keep it for the life of the process.
        lock = index.lock("WRITELOCK")
        if not try_for(lock.acquire, timeout=timeout, delay=0.05):
            return None
        try:
            return new_writer(index, lock, limitmb=limitmb)
        except BaseException:
            lock.release()
            raise

    def discard(self, writer) -> None:
        """Cancel a writer and delete the files its new segment had begun (Whoosh's cancel
        leaves them behind)."""
        segment = writer.newsegment.segment_id()
        writer.cancel()
        for path in self.directory.glob(segment + ".*"):
            path.unlink(missing_ok=True)

    @staticmethod
    def _fields(document: Document) -> dict:
        record = (
            document.agency_id,
            tuple(document.names),
            tuple(document.keys),
            tuple(sorted(document.identifiers)),
        )
        return {
            "id": str(document.agency_id),
            "tokens": document.tokens,
            "sounds": document.sounds,
            "identifiers": sorted(document.identifiers),
            "exact": document.exact_keys,
            "country": document.country,
            "kind": document.kind,
            "record": marshal.dumps(record, MARSHAL_VERSION),
        }

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

    def commit_optimized(self, writer) -> None:
        """Commit, merging every segment into one (nothing to do for one segment without
        deletions: Whoosh would still rewrite it, a minute per million agencies)."""
        segments = writer.segments
        if len(segments) <= 1 and not any(s.has_deletions() for s in segments):
            self.discard(writer)
            return
        writer.commit(optimize=True)

    # -- reading -------------------------------------------------------------------------------
    def _searcher(self):
        """This thread's searcher on the newest committed generation. When that cannot be read
        (files missing or corrupt, or the index being rebuilt from nothing), the searcher this
        thread already has goes on answering from what it read; without one, IndexUnavailable."""
        searcher = getattr(self._local, "searcher", None)
        try:
            if searcher is not None and searcher.up_to_date():
                return searcher
            if (self.directory / REPAIRING).exists():
                raise IndexUnavailable("the search index is being rebuilt")
            failed_on, retry_at = getattr(self._local, "failed", (None, 0.0))
            if failed_on == self._tables_of_contents() and time.monotonic() < retry_at:
                raise IndexUnavailable("the search index could not be read a moment ago")
            # A new searcher rather than refresh(): refresh() fails when the old reader was
            # empty.
            fresh = _unless_unreadable(lambda: self._index().searcher())
        except IndexUnavailable:
            # Not tried again for a while, unless a new generation is committed meanwhile.
            self._local.failed = (self._tables_of_contents(), time.monotonic() + RETRY_AFTER_S)
            if searcher is not None:
                return searcher
            raise
        if searcher is not None:
            searcher.close()
        self._local.searcher = fresh
        self._local.records = {}  # records by document number, for this searcher
        return fresh

    def _record(self, segments: list, docnum: int) -> _Record:
        """A document's record, from its segment's `record` column, kept while the searcher is
        (popular agencies come up in lookup after lookup) as a tuple, which the garbage
        collector stops walking (lists and dicts it walks at every full collection)."""
        records = self._local.records
        found = records.get(docnum)
        if found is None:
            if len(records) >= RECORDS_KEPT:
                records.clear()
            i = bisect_right(segments, docnum, key=lambda segment: segment[1]) - 1
            leaf, offset, _segment = segments[i]
            found = records[docnum] = marshal.loads(_records(leaf)[docnum - offset])
        return found

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    def warm(self) -> None:
        """Read what lookups would first (the name vocabulary, and the postings of the common
        words: a second at a million agencies), so that no user waits for it. A worker starts
        whatever state the index is in: one that cannot be read is left to the indexer to
        repair, and lookups answer 503 until then."""
        try:
            searcher = self._searcher()
        except IndexUnavailable:
            return
        for leaf, _offset, segment in self._segments_of(searcher):
            segment.warm(leaf)

    def _segments_of(self, searcher) -> list[tuple[object, int, _Segment]]:
        """(leaf reader, first document number, what this process keeps of the segment) of each
        segment. Segments never change but for deletions, so each is read once per process;
        segments merged away are forgotten."""
        with self._segments_lock:
            found = []
            for leaf, offset in searcher.reader().leaf_readers():
                segment = leaf.segment()
                if segment is None:  # an empty index
                    continue
                key = segment.segment_id()
                if key not in self._segments:
                    self._segments[key] = _Segment(leaf)
                found.append((leaf, offset, self._segments[key]))
            for stale in set(self._segments) - {s.key for _, _, s in found}:
                self._segments.pop(stale, None)
            return found

    @staticmethod
    def _expand(segments: list, word: str) -> set[str]:
        """The word plus the indexed words within its typo budget (matching.word_budget)."""
        if word_budget(len(word)) == 0 or word.isdigit():
            return {word}
        found = {word}
        for _leaf, _offset, segment in segments:
            found.update(segment.words.near(word))
        return found

    def version(self) -> int | None:
        """The generation of the index as committed now (each commit makes a new one)."""
        return self._searcher().reader().generation()

    def candidates(
        self, query: Query, *, country: str | None = None, kind: str | None = None, limit: int = 100
    ) -> tuple[int | None, list[Candidate]]:
        """(the generation read, the candidates): agencies sharing an identifier, or a name
        word (give or take a typo, or said the same way), with the query; the `limit` sharing
        the most and rarest words.

        Read straight from the postings each process keeps (_Segment; Whoosh's scoring
        collector cost more than the rest of a lookup), with the same choice as the PostgreSQL
        backend's:
        weights from matching.word_weight, ties to the older document."""
        searcher = self._searcher()
        segments = self._segments_of(searcher)
        filters = [
            _Docs(segments, [(f, v)]) for f, v in (("country", country), ("kind", kind)) if v
        ]
        results: dict[int, Candidate] = {}
        identifiers = {
            k
            for k in query.identifier_keys
            if not k.startswith("dom:")
            or _frequency(segments, [("identifiers", k)]) <= SHARED_DOMAIN
        }
        if identifiers:
            found = _Docs(segments, [("identifiers", k) for k in sorted(identifiers)]).all()
            for docs in filters:
                found = found[docs.hold(found)]
            for docnum in found[:limit].tolist():
                agency_id, names, keys, held = self._record(segments, docnum)
                results[agency_id] = Candidate(
                    agency_id, names, identifiers.intersection(held), keys
                )
        # The name typed whole: found however many agencies hold its words (among the oldest
        # `limit` holding them all, the one meant might not be).
        exact = _Docs(segments, [("exact", k) for k in sorted(exact_keys(query.key))]).all()
        for docs in filters:
            exact = exact[docs.hold(exact)]
        named = self._name_matches(query, segments, filters, limit)
        for docnum in [*exact[:limit].tolist(), *named]:
            agency_id, names, keys, _held = self._record(segments, docnum)
            if agency_id not in results:
                results[agency_id] = Candidate(agency_id, names, set(), keys)
        return searcher.reader().generation(), list(results.values())

    def _name_matches(
        self, query: Query, segments: list, filters: list[_Docs], limit: int
    ) -> list[int]:
        """Each query word stands for itself, the indexed words within its typo budget and its
        sound key. Words found in at most COMMON agencies find candidates; the others (agencia,
        servicios, manpower...) only narrow: they count among candidates found by a rare word,
        and when every word is common, candidates must have them all, the first `limit` of
        them, each common word typed as indexed standing for itself (matching.COMMON). Such a
        word alone never makes a match."""
        groups, as_typed = [], []
        for token in query.tokens:
            sound = ("sounds", sound_key(token))
            terms = [("tokens", w) for w in sorted(self._expand(segments, token))] + [sound]
            frequency = _frequency(segments, terms)
            if frequency:
                groups.append((frequency, terms))
                itself = [("tokens", token), sound]
                if len(terms) > 2 and _frequency(segments, itself[:1]) > COMMON:
                    as_typed.append((_frequency(segments, itself), itself))
                else:
                    as_typed.append(groups[-1])
        if not groups:
            return []
        rare = [(frequency, terms) for frequency, terms in groups if frequency <= COMMON]
        if not rare:
            found = self._holding_all(as_typed, segments, filters, limit)
            if not found and as_typed != groups:
                found = self._holding_all(groups, segments, filters, limit)
            return found
        scores: dict[int, float] = defaultdict(float)
        for frequency, terms in rare:
            weight = word_weight(frequency)
            for docnum in _Docs(segments, terms).all().tolist():
                scores[docnum] += weight
        passing = np.array(sorted(scores), dtype=np.int64)
        for docs in filters:
            passing = passing[docs.hold(passing)]
        if len(passing) > limit:  # the common words typed tell the many apart
            for frequency, terms in groups:
                if frequency > COMMON:
                    weight = word_weight(frequency)
                    for docnum in passing[_Docs(segments, terms).hold(passing)].tolist():
                        scores[docnum] += weight
        return heapq.nsmallest(limit, passing.tolist(), key=lambda d: (-scores[d], d))

    @staticmethod
    def _holding_all(
        groups: list[tuple[int, list]], segments: list, filters: list[_Docs], limit: int
    ) -> list[int]:
        """The first `limit` documents holding a term of every group, the rarest group leading."""
        groups = sorted(groups, key=lambda group: group[0])
        leading = _Docs(segments, groups[0][1])
        others = [_Docs(segments, terms) for _, terms in groups[1:]] + filters
        found: list[int] = []
        for i, (_leaf, offset, _segment) in enumerate(segments):
            docs = leading.local(i)
            for other in others:
                docs = docs[other.hold_local(i, docs)]
            found += (docs[: limit - len(found)] + offset).tolist()
            if len(found) == limit:
                break
        return found

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
        if self._ix is not None:
            self._ix.close()


# -- reading postings --------------------------------------------------------------------------
class _Segment:
    """What a process keeps of one segment: its name words, and the document numbers of the
    terms lookups read, sorted, up to POSTINGS_KEPT (the least recently read go first; 14 MB
    for the common words at a million agencies). Exact because a segment never changes but for
    deletions, which readers leave out (_Docs.local)."""

    POSTINGS_KEPT = 8_000_000  # document numbers (4 bytes each)
    ENTRY_WEIGHT = 32  # what keeping a term costs beside its numbers (a term no one holds, too)
    FREQUENCIES_KEPT = 200_000  # terms' document counts

    def __init__(self, leaf):
        self.key = leaf.segment().segment_id()
        self.words = Words(leaf.lexicon("tokens"))
        self._postings: Bounded[np.ndarray] = Bounded(
            self.POSTINGS_KEPT, weigh=lambda ids: len(ids) + self.ENTRY_WEIGHT
        )
        self._frequencies: dict[tuple[str, str], int] = {}

    def warm(self, leaf) -> None:
        """Read the postings of the common name words and sounds (3.5 million document numbers
        at a million agencies), the longest to read and the most often asked."""
        for field in ("tokens", "sounds"):
            for text, info in leaf.iter_field(field):
                if (
                    info.doc_frequency() > COMMON
                    and self._postings.weight < self.POSTINGS_KEPT // 2
                ):
                    self.postings(
                        leaf, field, text.decode("utf-8") if isinstance(text, bytes) else text
                    )

    def frequency(self, leaf, field: str, text: str) -> int:
        """How many of the segment's documents hold the term, deleted ones included (as
        Whoosh counts)."""
        key = (field, text)
        found = self._frequencies.get(key)
        if found is None:
            if len(self._frequencies) >= self.FREQUENCIES_KEPT:
                self._frequencies.clear()
            found = self._frequencies[key] = leaf.doc_frequency(field, text)
        return found

    def postings(self, leaf, field: str, text: str) -> np.ndarray:
        """The segment's document numbers holding the term, in order, deleted ones included."""
        key = (field, text)
        found = self._postings.get(key)
        if found is None:
            found = read_postings(leaf, field, text)
            found.flags.writeable = False  # shared by every lookup that asks for it
            self._postings.put(key, found)
        return found


def _union(postings: list[np.ndarray]) -> np.ndarray:
    """The document numbers in any of `postings` (each sorted, without repeats), in order. Not
    np.unique: NumPy 2.4's sorts every number (the postings of a common word and its typo
    neighbours at a million agencies), where merging sorted postings with a radix sort and a
    mask is many times faster."""
    if not postings:
        return np.empty(0, dtype=np.int32)
    if len(postings) == 1:
        return postings[0]
    docs = np.concatenate(postings)
    docs.sort(kind="stable")  # a radix sort, for integers
    keep = np.empty(len(docs), dtype=bool)
    keep[:1] = True
    np.not_equal(docs[1:], docs[:-1], out=keep[1:])
    return docs[keep]


def _frequency(segments: list, terms: list[tuple[str, str]]) -> int:
    """How many documents hold any of `terms`, counted per term and segment (an upper bound:
    a document holding two of them counts twice; deleted documents count, as in Whoosh)."""
    return sum(
        segment.frequency(leaf, field, text)
        for leaf, _offset, segment in segments
        for field, text in terms
    )


_DELETED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_RECORDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _records(leaf):
    """A segment reader's `record` column (Whoosh's reader of it reads the offsets of every
    document first: opened once per segment reader)."""
    found = _RECORDS.get(leaf)
    if found is None:
        found = _RECORDS[leaf] = leaf.column_reader("record", translate=False)
    return found


def _deleted(leaf) -> np.ndarray:
    """A segment reader's deleted documents (fixed for the reader's life), as an array."""
    found = _DELETED.get(leaf)
    if found is None:
        found = _DELETED[leaf] = np.fromiter(leaf.deleted_docs_set, dtype=np.int32)
    return found


class _Docs:
    """The documents holding any of `terms`: segment by segment, as sorted arrays (numpy: a
    lookup at a million agencies intersects sets of a hundred thousand documents)."""

    def __init__(self, segments: list, terms: list[tuple[str, str]]):
        self.segments = segments
        self.starts = np.array([offset for _, offset, _ in segments], dtype=np.int64)
        self.terms = terms
        self._postings: dict[int, list[np.ndarray]] = {}

    def _of(self, i: int) -> list[np.ndarray]:
        found = self._postings.get(i)
        if found is None:
            leaf, _offset, segment = self.segments[i]
            found = self._postings[i] = [
                ids
                for ids in (segment.postings(leaf, field, text) for field, text in self.terms)
                if len(ids)
            ]
        return found

    def local(self, i: int) -> np.ndarray:
        """The documents of segment i (its own numbers, in order), deleted ones left out."""
        docs = _union(self._of(i))
        leaf = self.segments[i][0]
        if leaf.has_deletions() and len(docs):
            docs = docs[~np.isin(docs, _deleted(leaf))]
        return docs

    def all(self) -> np.ndarray:
        """Every document, by index-wide number, in order."""
        parts = [
            self.local(i).astype(np.int64) + offset
            for i, (_leaf, offset, _segment) in enumerate(self.segments)
        ]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def hold_local(self, i: int, docs: np.ndarray) -> np.ndarray:
        """Which of segment i's documents `docs` (its own numbers, in order) hold a term."""
        found = self._of(i)
        if not found or not len(docs):
            return np.zeros(len(docs), dtype=bool)
        if len(docs) <= BISECT_UP_TO:
            held = np.zeros(len(docs), dtype=bool)
            for ids in found:
                at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
                held |= ids[at] == docs
            return held
        return np.isin(docs, np.concatenate(found), kind="table")

    def hold(self, docs: np.ndarray) -> np.ndarray:
        """Which of the documents `docs` (index-wide numbers, in order) hold a term."""
        held = np.zeros(len(docs), dtype=bool)
        bounds = np.searchsorted(docs, self.starts).tolist() + [len(docs)]
        for i, offset in enumerate(self.starts.tolist()):
            if bounds[i] < bounds[i + 1]:
                held[bounds[i] : bounds[i + 1]] = self.hold_local(
                    i, (docs[bounds[i] : bounds[i + 1]] - offset).astype(np.int32)
                )
        return held
