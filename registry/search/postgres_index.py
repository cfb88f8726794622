"""The PostgreSQL search backend: the index is three tables in the registry's own database, so
that every app server shares one search and a change is searchable as soon as it is drained.

- search_document: one row per public agency, its search terms as a tsvector (GIN index) whose
  lexemes are `w:<name word>`, `s:<sound key>`, `i:<identifier key>` and `n:<exact key>`
  (matching.exact_key), plus what the ranking step reads (names and their keys) and the
  country/kind filters;
- search_word and search_term: every name word, sound key and identifier key with the number of
  agencies holding it (IDF weights, the COMMON and SHARED_DOMAIN rules). Each process holds the
  name words (registry.search.vocabulary) to find those within a typo's reach, read again when
  the vocabulary changes; a pg_trgm GIN index on search_word finds them when they are too many
  to hold (PostgresSearch.MEMORY_WORDS);
- search_state: the document format, so that `init-db` rebuilds an index of another format.

Words are folded by registry.search.matching in Python (anyascii: a superset of unaccent that also
transliterates other scripts), exactly as for the Whoosh backend: both backends hand the same
candidates to the same ranking step. The tables are created by migration 0009 on PostgreSQL only.

Writers take one transaction-scoped advisory lock, so the outbox rows, the documents and the term
counts change together: a drain that fails rolls back and leaves its rows for the next one.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache

from rapidfuzz.distance import OSA
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    delete,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import REGCLASS, TSVECTOR
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ProgrammingError
from sqlmodel import Session, SQLModel

from registry.db import driver_rows, make_engine
from registry.models import IndexOutbox
from registry.search import postgres_memory
from registry.search.documents import Document, collector_paused, document_batches, documents_for
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

FORMAT = "4"  # bump when what goes into a document changes (3: exact keys; 4: "i" a stopword)
LOCK_KEY = 0x52454749  # the advisory lock all writers of the index take ("REGI")
GIN_INDEXES = ("ix_search_document_terms", "ix_search_word_trigrams")  # made by migration 0009

metadata = MetaData()
search_document = Table(
    "search_document",
    metadata,
    Column("agency_id", Integer, primary_key=True),
    Column("country", String(2), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("terms", TSVECTOR, nullable=False),
    Column("names", JSON, nullable=False),
    Column("name_keys", JSON, nullable=False),
)
search_word = Table(  # name words: the trigram index serves typo expansion
    "search_word",
    metadata,
    Column("word", Text, primary_key=True),
    Column("frequency", Integer, nullable=False),
)
search_term = Table(  # sound keys and identifier keys
    "search_term",
    metadata,
    Column("field", String(1), primary_key=True),  # s(ound), i(dentifier)
    Column("term", Text, primary_key=True),
    Column("frequency", Integer, nullable=False),
)
search_state = Table(
    "search_state",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)
# The counters of search_state (see PostgresSearch.__init__), with the planner's estimate of the
# documents (pg_class.reltuples: it only chooses a plan); every candidates query returns them.
_STATE = (
    "SELECT name, value FROM search_state WHERE name IN ('vocabulary', 'generation')"
    " UNION ALL SELECT 'documents', reltuples::bigint::text FROM pg_class"
    " WHERE oid = 'search_document'::regclass"
)
# Lookups' connections are set up once (libpq options): sequential scans off, because the
# planner prices a tsvector match far too low, and from a dozen alternative words up it scans
# every document where the GIN index is many times faster; and every statement
# planned for its parameters, because psycopg prepares statements run often, and a generic plan
# for arrays of terms (or of the trigram threshold, a setting) would not fit most lookups.
LOOKUP_SETTINGS = "-c enable_seqscan=off -c plan_cache_mode=force_custom_plan"


_TOO_MANY = Words(())  # a vocabulary too large to hold (PostgresSearch.MEMORY_WORDS)
# What stands for one query word: (agencies holding any of the terms, the terms, the same for
# the word as typed when it is common itself, else None: matching.COMMON).
_Group = tuple[int, list[str], tuple[int, list[str]] | None]


def _terms(document: Document) -> list[str]:
    return (
        [f"w:{t}" for t in document.tokens]
        + [f"s:{s}" for s in document.sounds]
        + [f"i:{i}" for i in sorted(document.identifiers)]
        + [f"n:{k}" for k in document.exact_keys]
    )


def _count_rows(counts: Counter) -> tuple[list[dict], list[dict]]:
    """Counts of document terms as rows of search_word and of search_term (zeros left out)."""
    words, terms = [], []
    for term, n in counts.items():
        if not n or term.startswith("n:"):  # exact keys are not counted (one agency's each)
            continue
        if term.startswith("w:"):
            words.append({"word": term[2:], "frequency": n})
        else:
            terms.append({"field": term[0], "term": term[2:], "frequency": n})
    return words, terms


def _copy(connection: Connection, table: Table, rows: Iterable[tuple]) -> None:
    """Write rows (in the table's column order) with COPY, the fastest way in."""
    columns = ", ".join(c.name for c in table.columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _any_of(terms: Iterable[str]) -> str:
    """A tsquery (text) matching documents holding any of `terms` (taken literally)."""
    return " | ".join(_lexeme(t) for t in terms)


@cache
def _candidates_sql(
    identifiers: bool,
    exact: bool,
    names: bool,
    scored: int,
    by_age: bool,
    fallback_by_age: bool | None,
    country: bool,
    kind: bool,
) -> str:
    """The candidates of a lookup as one JSON document (one parse instead of two per row), with
    the index's counters as they are now (_STATE: the lookup checks that it knew them).

    Candidates: the agencies holding an identifier typed (with their terms, to tell which),
    then those whose name is the name typed (matching.exact_key: found however many agencies
    hold its words), then those found by name words, the highest sum of the weights of the
    words they hold first (`scored`: the number of words, one term of the sum each: an eighth
    less time than summing the words unnested per agency; 0: all hold them all), then the
    oldest: walked in that order through the primary key (`by_age`), or found through the GIN
    index and sorted (`agency_id + 0` keeps the planner off the key). When every word is
    common and some were typed as the registry writes them (`fallback_by_age` not None), the
    words' neighbours are asked for only if no agency holds them as typed (matching.COMMON): a
    one-time filter, so that the server does not read their postings otherwise.
    Raw SQL of a few fixed shapes: building the statement in SQLAlchemy cost more than running
    it, and psycopg prepares each shape once per connection."""
    where = (" AND country = %(country)s" if country else "") + (
        " AND kind = %(kind)s" if kind else ""
    )
    parts = []
    if identifiers:
        parts.append(
            "(SELECT agency_id, names, name_keys, tsvector_to_array(terms) AS terms"
            " FROM search_document WHERE terms @@ %(identifiers)s::tsquery"
            + where
            + " LIMIT %(limit)s)"
        )
    if exact:
        parts.append(
            "(SELECT agency_id, names, name_keys, NULL::text[] AS terms"
            " FROM search_document WHERE terms @@ %(exact)s::tsquery" + where + " LIMIT %(limit)s)"
        )

    def by_names(find: str, scored: int, by_age: bool, condition: str = "") -> str:
        score = (
            " ("
            + " + ".join(
                f"CASE WHEN d.terms @@ %(group{i})s::tsquery THEN %(weight{i})s::float8 ELSE 0 END"
                for i in range(scored)
            )
            + ") DESC,"
            if scored
            else ""
        )
        return (
            "SELECT d.agency_id, d.names, d.name_keys, NULL::text[] AS terms"
            f" FROM search_document AS d WHERE d.terms @@ %({find})s::tsquery"
            + where
            + condition
            + " ORDER BY"
            + score
            + (" d.agency_id" if by_age else " d.agency_id + 0")
            + " LIMIT %(limit)s"
        )

    named = ""
    if names and fallback_by_age is None:
        parts.append(f"({by_names('find', scored, by_age)})")
    elif names:
        named = f"WITH named AS ({by_names('find', 0, by_age)}) "
        parts.append("(SELECT * FROM named)")
        unless_named = " AND NOT EXISTS (SELECT FROM named)"
        parts.append(f"({by_names('fallback', 0, fallback_by_age, unless_named)})")
    return (
        named
        + "SELECT (SELECT json_agg(json_build_array(agency_id, names, name_keys, terms)) FROM ("
        + " UNION ALL ".join(parts)
        + ") AS found), (SELECT json_object_agg(name, value)"
        " FROM (" + _STATE + ") AS state)"
    )


def _similarity_floor(length: int, budget: int) -> float:
    """The lowest trigram similarity a word within `budget` edits of a word of `length` letters
    can have with it: pg_trgm gives a word of n letters n + 1 trigrams, and one edit breaks at
    most 3 (a swap of two letters, 4)."""
    trigrams = length + 1
    kept = max(1, trigrams - 4 * budget)
    return kept / (trigrams + (trigrams + budget) - kept)


class PostgresSearch:
    name = "postgres"
    # Up to this many name words, each process holds them to find typo neighbours (a few MB;
    # 15,000 words at 100,000 agencies); beyond, the trigram index on search_word finds them.
    MEMORY_WORDS = 300_000

    def __init__(self, engine: Engine):
        self.engine = engine
        # What this process learnt of the index, each kept while a counter in search_state is
        # unchanged (one query a lookup reads both): the name words (registry.search.vocabulary,
        # to find typo neighbours without asking the server) while the "vocabulary" is
        # (writers bump it whenever a word may have entered the index); the words' groups with
        # their frequencies, and identifier frequencies, while the "generation" is (writers
        # bump it with every change of the documents).
        self._words: Words | None = None
        self._groups: dict[str, tuple[int, list[str]]] = {}
        self._identifier_frequency: dict[str, int] = {}
        self._seen: tuple[str | None, str | None] = (None, None)  # (vocabulary, generation)
        self._documents = 0  # about how many (the planner's estimate; 0: not known)
        self._cache_lock = threading.Lock()
        self._lookups = _lookup_engine(engine)

    @property
    def lookup_engine(self) -> Engine:
        """Lookups read the registry's records through the pool they read the index through."""
        return self._lookups

    # -- state ---------------------------------------------------------------------------------
    @property
    def stale(self) -> bool:
        try:
            with self.engine.connect() as connection:
                stored = connection.execute(
                    select(search_state.c.value).where(search_state.c.name == "format")
                ).scalar()
        except ProgrammingError:  # the migration that creates the tables has not run yet
            return True
        return stored != FORMAT

    @stale.setter
    def stale(self, value: bool) -> None:  # rebuild() records the format itself
        pass

    def doc_count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(search_document)).scalar()

    def warm(self) -> None:
        """Read the vocabulary, so that no user waits for it."""
        with self._lookups.connect() as connection:
            self._vocabulary(connection, self._check_state(connection))

    def memory_advice(self) -> str | None:
        """When shared_buffers cannot hold the search tables (registry.search.postgres_memory)."""
        with self.engine.connect() as connection:
            return postgres_memory.advice(*postgres_memory.sizes(connection))

    def close(self) -> None:
        self._lookups.dispose()

    def problem(self) -> str | None:
        """None: its tables are the database's, written in transactions (a failure to read
        them is the database's, which /healthz reports)."""
        return None

    def repair(self) -> int | None:
        return None

    # -- writing -------------------------------------------------------------------------------
    @staticmethod
    def _lock(connection: Connection, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if connection.execute(select(func.pg_try_advisory_xact_lock(LOCK_KEY))).scalar():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def drain(self, *, batch: int = 500, timeout: float = 0.0) -> int:
        done = 0
        while True:
            with Session(self.engine) as session:
                if not self._lock(session.connection(), timeout):
                    return done
                rows = session.exec(
                    select(IndexOutbox.id, IndexOutbox.agency_id)
                    .order_by(IndexOutbox.id)
                    .limit(batch)
                ).all()
                if not rows:
                    return done
                agency_ids = sorted({agency_id for _, agency_id in rows})
                documents = list(documents_for(session, agency_ids).values())
                self._replace(session.connection(), agency_ids, documents)
                session.exec(delete(IndexOutbox).where(IndexOutbox.id.in_([i for i, _ in rows])))
                session.commit()
                done += len(rows)

    def _replace(
        self, connection: Connection, agency_ids: list[int], documents: list[Document]
    ) -> None:
        delta: Counter = Counter()
        for (old_terms,) in connection.execute(
            select(func.tsvector_to_array(search_document.c.terms)).where(
                search_document.c.agency_id.in_(agency_ids)
            )
        ):
            delta.subtract(old_terms)
        connection.execute(
            delete(search_document).where(search_document.c.agency_id.in_(agency_ids))
        )
        for document in documents:
            delta.update(_terms(document))
        self._insert_documents(connection, documents)
        words, terms = _count_rows(delta)
        for table, rows, key in (
            (search_word, words, ["word"]),
            (search_term, terms, ["field", "term"]),
        ):
            if rows:
                upsert = pg_insert(table)
                connection.execute(
                    upsert.on_conflict_do_update(
                        index_elements=key,
                        set_={"frequency": table.c.frequency + upsert.excluded.frequency},
                    ),
                    rows,
                )
        self._bump(connection, "generation")
        if any(row["frequency"] > 0 for row in words):  # perhaps a word new to the index
            self._bump(connection, "vocabulary")

    @staticmethod
    def _bump(connection: Connection, counter: str) -> None:
        """Tell every process that what it keeps of the index under `counter` is out of date
        (see __init__)."""
        bump = pg_insert(search_state).values(name=counter, value="1")
        connection.execute(
            bump.on_conflict_do_update(
                index_elements=["name"],
                set_={"value": cast(cast(search_state.c.value, Integer) + 1, Text)},
            )
        )

    @staticmethod
    def _insert_documents(connection: Connection, documents: list[Document]) -> None:
        """COPY the documents in: a tsvector of literal lexemes, the names as JSON."""
        _copy(
            connection,
            search_document,
            (
                (
                    d.agency_id,
                    d.country,
                    d.kind,
                    " ".join(_lexeme(t) for t in _terms(d)),
                    json.dumps(d.names),
                    json.dumps(d.keys),
                )
                for d in documents
            ),
        )

    def rebuild(
        self, *, progress: Callable[[int], None] = lambda n: None, timeout: float = 60.0
    ) -> int:
        """Rebuild in one transaction: searches read the old index until it commits."""
        with Session(self.engine) as session, collector_paused():
            connection = session.connection()
            if not self._lock(connection, timeout):
                raise RuntimeError("the search index is being written by another process")
            started_at = session.scalar(select(func.max(IndexOutbox.id))) or 0
            connection.execute(delete(search_document))
            connection.execute(delete(search_word))
            connection.execute(delete(search_term))
            frequencies: Counter = Counter()
            count = 0
            for read, documents in document_batches(session, 2000):
                self._insert_documents(connection, documents)
                for document in documents:
                    frequencies.update(_terms(document))
                count += len(documents)
                progress(read)
            for table, rows in zip((search_word, search_term), _count_rows(frequencies)):
                _copy(connection, table, (tuple(row.values()) for row in rows))
            state = pg_insert(search_state).values(name="format", value=FORMAT)
            connection.execute(
                state.on_conflict_do_update(index_elements=["name"], set_={"value": FORMAT})
            )
            self._bump(connection, "vocabulary")
            self._bump(connection, "generation")
            session.exec(delete(IndexOutbox).where(IndexOutbox.id <= started_at))
            session.commit()
        self.compact()
        return count

    def compact(self, *, timeout: float = 60.0) -> bool:
        """After a bulk change (an import, a rebuild): move the GIN indexes' pending entries
        into the indexes proper (searches scan pending entries one by one) and refresh the
        planner's statistics of the search tables and the registry's. Autovacuum would, later
        (and not at all where it is off): until then the planner takes the bulk-loaded tables
        for empty, and reads every licence to list 20 agencies."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for index in GIN_INDEXES:
                connection.execute(select(func.gin_clean_pending_list(cast(index, REGCLASS))))
            for table in [*metadata.tables, *SQLModel.metadata.tables]:
                connection.execute(text(f'ANALYZE "{table}"'))
        return True

    # -- reading -------------------------------------------------------------------------------
    def version(self) -> tuple[str | None, str | None]:
        """The index's counters as committed now (one round trip)."""
        with self._lookups.connect() as connection:
            return self._check_state(connection)

    def candidates(
        self, query: Query, *, country: str | None = None, kind: str | None = None, limit: int = 100
    ) -> tuple[tuple[str | None, str | None], list[Candidate]]:
        """(the index's counters when read, the candidates): the same candidates as the Whoosh
        backend's, agencies sharing an identifier, or a name word give or take a typo, or said
        the same way; the `limit` sharing the most and rarest words. A lookup whose words were
        seen since the last change of the index makes one round trip (see _candidates and
        _lookup_engine)."""
        with self._lookups.connect() as connection:
            return self._candidates(connection, query, country, kind, limit)

    def _candidates(
        self,
        connection: Connection,
        query: Query,
        country: str | None,
        kind: str | None,
        limit: int,
    ) -> tuple[tuple[str | None, str | None], list[Candidate]]:
        """The words' groups are worked out under the index's counters as last seen, and the
        candidates query reads the counters again: when they moved meanwhile (another process
        changed the index), what was kept is forgotten and the lookup asked again."""
        seen = self._seen
        if seen == (None, None):  # nothing seen yet in this process
            seen = self._check_state(connection)
        while True:
            groups = self._word_groups(connection, query, seen)
            identifiers = self._identifiers(connection, query, seen)
            if not groups and not identifiers:  # nothing to ask for, as far as was known
                now = self._check_state(connection)
                if now == seen:
                    return seen, []
                seen = now
                continue
            [(rows, state)] = driver_rows(
                connection,
                *self._candidates_query(query.key, groups, identifiers, country, kind, limit),
            )
            now = self._apply_state(state)
            if now == seen:
                break
            seen = now
        results: dict[int, Candidate] = {}
        for agency_id, names, keys, terms in rows or ():
            if terms is not None:  # found by an identifier
                matched = {t[2:] for t in terms if t.startswith("i:")} & identifiers
                results[agency_id] = Candidate(agency_id, names, matched, keys)
            elif agency_id not in results:
                results[agency_id] = Candidate(agency_id, names, set(), keys)
        return seen, list(results.values())

    def _candidates_query(
        self,
        query_key: str,
        groups: list[_Group],
        identifiers: set[str],
        country: str | None,
        kind: str | None,
        limit: int,
    ) -> tuple[str, dict]:
        parameters = {
            "country": country,
            "kind": kind,
            "limit": limit,
            "identifiers": _any_of(f"i:{k}" for k in identifiers),
            "exact": _any_of(f"n:{k}" for k in sorted(exact_keys(query_key))),
        }
        rare = [(f, terms) for f, terms, _ in groups if f <= COMMON]
        by_age, fallback_by_age = False, None  # fallback_by_age: see _candidates_sql
        if rare:  # rare words find, and common words count among what they found
            parameters["find"] = _any_of(t for _, terms in rare for t in terms)
            for i, (frequency, terms, _) in enumerate(groups):
                parameters[f"group{i}"] = _any_of(terms)
                parameters[f"weight{i}"] = word_weight(frequency)
        elif groups:  # every word is common: candidates must have them all, the oldest first
            broad = [(f, terms) for f, terms, _ in groups]
            as_typed = [typed or (f, terms) for f, terms, typed in groups]
            parameters["find"] = " & ".join(f"({_any_of(terms)})" for _, terms in as_typed)
            by_age = self._by_age(as_typed, limit)
            if as_typed != broad:  # with the neighbours only when no agency holds them as typed
                parameters["fallback"] = " & ".join(f"({_any_of(terms)})" for _, terms in broad)
                fallback_by_age = self._by_age(broad, limit)
        return (
            _candidates_sql(
                bool(identifiers),
                bool(groups) and bool(parameters["exact"]),
                bool(groups),
                len(groups) if rare else 0,
                by_age,
                fallback_by_age,
                bool(country),
                bool(kind),
            ),
            parameters,
        )

    def _by_age(self, groups: list[tuple[int, list[str]]], limit: int) -> bool:
        """Whether agencies holding every (common) word are better found by walking them oldest
        first until `limit` hold them all than through the GIN index (each posting of the
        words, then each agency holding them all, to fetch and sort): when they are dense. The
        costs below are relative, in time per agency walked, per posting and per agency
        fetched, measured by bench/load.py. The planner cannot tell: at a million agencies it
        walked hundreds of thousands of agencies for "Mexicana International" and fetched a
        common word's whole posting list through the index for "Servicios" alone."""
        documents = self._documents
        if documents <= 0:
            return False
        holding = float(documents)
        for frequency, _terms in groups:  # as if the words were independent
            holding *= min(frequency, documents) / documents
        holding = max(holding, 1.0)
        walked = limit * documents / holding
        return 0.5 * walked < 0.03 * sum(f for f, _ in groups) + holding

    def _check_state(self, connection: Connection) -> tuple[str | None, str | None]:
        """Read the index's counters (see __init__); the counters read, under which what this
        lookup learns may be kept."""
        return self._apply_state(dict(driver_rows(connection, _STATE)))

    def _apply_state(self, state: dict[str, str]) -> tuple[str | None, str | None]:
        """Forget what this process kept of an index that changed since."""
        seen = (state.get("vocabulary"), state.get("generation"))
        self._documents = int(state.get("documents") or 0)
        with self._cache_lock:
            if seen[0] != self._seen[0]:
                self._words = None
            if seen[1] != self._seen[1] or len(self._groups) > 100_000:
                self._groups, self._identifier_frequency = {}, {}
            self._seen = seen
        return seen

    def _identifiers(
        self, connection: Connection, query: Query, seen: tuple[str | None, str | None]
    ) -> set[str]:
        """The query's identifier keys, but mail domains shared by more than SHARED_DOMAIN."""
        kept = self._identifier_frequency
        frequency = {k: kept.get(k) for k in query.identifier_keys if k.startswith("dom:")}
        missing = [k for k, n in frequency.items() if n is None]
        if missing:
            found = self._frequencies(connection, [("i", k) for k in missing])
            frequency.update((k, found.get(("i", k), 0)) for k in missing)
            with self._cache_lock:
                if self._seen[1] == seen[1]:  # not if another thread saw a newer generation
                    self._identifier_frequency.update((k, frequency[k]) for k in missing)
        return {
            k
            for k in query.identifier_keys
            if not k.startswith("dom:") or frequency.get(k, 0) <= SHARED_DOMAIN
        }

    @staticmethod
    def _frequencies(connection: Connection, terms: list[tuple[str, str]]) -> dict:
        """{(field, term): agencies holding it} for ("w", word), ("s", sound), ("i", key), read
        in one query."""
        words = [t for f, t in terms if f == "w"]
        others = [(f, t) for f, t in terms if f != "w"]
        if not terms:
            return {}
        return {
            (f, t): n
            for f, t, n in driver_rows(
                connection,
                "SELECT 'w', word, frequency FROM search_word WHERE word = ANY(%(words)s)"
                " UNION ALL SELECT field, term, frequency FROM search_term"
                " WHERE (field, term) IN (SELECT * FROM unnest(%(fields)s::varchar[],"
                " %(terms)s::text[]))",
                {"words": words, "fields": [f for f, _ in others], "terms": [t for _, t in others]},
            )
        }

    def _word_groups(
        self, connection: Connection, query: Query, seen: tuple[str | None, str | None]
    ) -> list[_Group]:
        """Per query word: the terms that stand for it (itself, the indexed words within its
        typo budget, its sound key), how many agencies hold them, and the same for the word as
        typed when it is common itself (matching.COMMON)."""
        kept = self._groups  # a reset replaces the dict: read one and the same
        known = {t: kept[t] for t in query.tokens if t in kept}
        missing = [t for t in dict.fromkeys(query.tokens) if t not in known]
        if missing:
            neighbours = self._neighbourhoods(connection, missing, seen)
            exact = self._frequencies(
                connection,
                [("w", w) for t in missing for w in {t, *neighbours[t]}]
                + [("s", sound_key(t)) for t in missing],
            )
            for token in missing:
                words = {w: exact.get(("w", w), 0) for w in {token, *neighbours[token]}}
                terms = [f"w:{w}" for w, n in words.items() if n > 0]
                sound = sound_key(token)
                sound_frequency = exact.get(("s", sound), 0)
                if sound_frequency:
                    terms.append(f"s:{sound}")
                frequency = sum(n for n in words.values() if n > 0) + sound_frequency
                as_typed = None
                if len(words) > 1 and words[token] > COMMON:  # see matching.COMMON
                    itself = [f"w:{token}"] + ([f"s:{sound}"] if sound_frequency else [])
                    as_typed = (words[token] + sound_frequency, itself)
                known[token] = (frequency, sorted(terms), as_typed)
            with self._cache_lock:
                if self._seen[1] == seen[1]:  # not if another thread saw a newer generation
                    self._groups.update((t, known[t]) for t in missing)
        return [known[t] for t in query.tokens if known[t][0]]

    def _neighbourhoods(
        self, connection: Connection, tokens: list[str], seen: tuple[str | None, str | None]
    ) -> dict[str, frozenset[str]]:
        """Per token, the indexed words within its typo budget: from the vocabulary this process
        holds, or through the trigram index when the vocabulary is too large to hold."""
        found = {t: frozenset() for t in tokens}
        wanted = [t for t in tokens if word_budget(len(t)) and not t.isdigit()]
        if wanted:
            words = self._vocabulary(connection, seen)
            if words is _TOO_MANY:
                found.update(self._similar_words(connection, wanted))
            else:
                found.update((t, frozenset(w for w in words.near(t) if w != t)) for t in wanted)
        return found

    def _vocabulary(self, connection: Connection, seen: tuple[str | None, str | None]) -> Words:
        """The name words of the index, read again after the vocabulary changed (_TOO_MANY
        when there are more than MEMORY_WORDS)."""
        words = self._words
        if words is None:
            found = (
                connection.execute(
                    select(search_word.c.word)
                    .where(search_word.c.frequency > 0)
                    .limit(self.MEMORY_WORDS + 1)
                )
                .scalars()
                .all()
            )
            words = _TOO_MANY if len(found) > self.MEMORY_WORDS else Words(found)
            with self._cache_lock:
                if self._seen[0] == seen[0]:  # not if another thread saw a newer vocabulary
                    self._words = words
        return words

    @staticmethod
    def _similar_words(connection: Connection, tokens: list[str]) -> dict[str, frozenset[str]]:
        """Per token, the indexed words within its typo budget (OSA, as matching.word_budget
        counts them): found through the trigram index in one query, checked exactly here."""
        found: dict[str, set[str]] = {t: set() for t in tokens}
        wanted = [(t, word_budget(len(t))) for t in tokens]
        if wanted:
            floors = [_similarity_floor(len(t), budget) for t, budget in wanted]
            # for the rest of the session: the lookups' connections run each statement on
            # its own (a setting local to the transaction would be gone by the next one)
            connection.execute(
                select(func.set_config("pg_trgm.similarity_threshold", str(min(floors)), False))
            )
            parts = [
                select(literal(i).label("token"), search_word.c.word).where(
                    search_word.c.word.op("%")(token),
                    func.similarity(search_word.c.word, token) >= floor,
                    func.length(search_word.c.word).between(
                        len(token) - budget, len(token) + budget
                    ),
                    search_word.c.frequency > 0,
                )
                for i, ((token, budget), floor) in enumerate(zip(wanted, floors))
            ]
            for i, word in connection.execute(union_all(*parts)):
                token, budget = wanted[i]
                if word != token and OSA.distance(token, word, score_cutoff=budget) <= budget:
                    found[token].add(word)
        return {t: frozenset(words) for t, words in found.items()}


def _lookup_engine(engine: Engine) -> Engine:
    """The pool lookups read through, beside the registry's: connections in autocommit, each
    statement on its own (at READ COMMITTED a statement sees what is committed when it starts,
    in a transaction or not), set up once with LOOKUP_SETTINGS. A transaction would cost two
    more round trips a lookup (BEGIN, ROLLBACK), and psycopg forgets the statements it prepared
    whenever one rolls back. Connections are not checked before use (a round trip less a
    lookup): a lookup that finds its connection dropped is asked again (registry.search
    lookup)."""
    options = engine.url.query.get("options", "")
    options = " ".join(options) if isinstance(options, tuple) else options
    return make_engine(
        engine.url.set(query={k: v for k, v in engine.url.query.items() if k != "options"}),
        ping=False,
        isolation_level="AUTOCOMMIT",
        connect_args={"options": f"{options} {LOOKUP_SETTINGS}".strip()},
    )
