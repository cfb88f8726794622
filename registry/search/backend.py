"""The two search backends behind one interface, and the choice between them.

A backend finds candidates for a parsed query (registry.search.matching ranks them, whatever the
backend) and keeps itself fed from the index outbox:

- `whoosh`: an index folder per machine (the embedded default, with SQLite);
- `postgres`: tables in the registry's own PostgreSQL database, shared by every app server.

REGISTRY_SEARCH_BACKEND chooses; by default `postgres` when the database is PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import Engine

from registry.search import indexer
from registry.search.matching import Candidate, Query
from registry.search.whoosh_index import IndexUnavailable, SearchIndex

BACKENDS = ("whoosh", "postgres")


class SearchBackend(Protocol):
    name: str
    stale: bool  # written by an older version: `init-db` rebuilds it
    # The pool a lookup reads the registry through (its records, registry.db
    # get_lookup_connection); None: the request's reader.
    lookup_engine: Engine | None

    def candidates(
        self, query: Query, *, country: str | None = None, kind: str | None = None, limit: int = 100
    ) -> tuple[Hashable, list[Candidate]]:
        """The candidates for a query, with the version of the index they were read from."""

    def version(self) -> Hashable:
        """The version of the index as committed now: it changes with every change to what
        the index holds (what registry.search.rankings keeps is checked against it)."""

    def drain(self, *, batch: int = 500, timeout: float = 0.0) -> int:
        """Index the agencies waiting in the outbox; 0 when another process is at it."""

    def rebuild(
        self, *, progress: Callable[[int], None] = lambda n: None, timeout: float = 60.0
    ) -> int:
        """Replace everything with documents built from the database; the agency count."""

    def compact(self, *, timeout: float = 60.0) -> bool: ...

    def doc_count(self) -> int: ...

    def problem(self) -> str | None:
        """What keeps the index from being read as a new process would read it, or None."""

    def repair(self) -> int | None:
        """Rebuild the index if it cannot be read: the agencies indexed, or None if it could."""

    def warm(self) -> None:
        """Load what lookups read into memory (a new worker calls it before serving)."""

    def memory_advice(self) -> str | None:
        """What the operator should change for lookups to stay in memory, or None."""

    def close(self) -> None: ...


class WhooshSearch:
    """The Whoosh index folder (registry.search.whoosh_index) fed by registry.search.indexer."""

    name = "whoosh"
    lookup_engine = None

    def __init__(self, engine: Engine, directory: str | Path):
        self.engine = engine
        self.index = SearchIndex(directory)
        self._emptiness: tuple[Hashable, bool] = (object(), False)

    @property
    def stale(self) -> bool:
        return self.index.stale

    @stale.setter
    def stale(self, value: bool) -> None:
        self.index.stale = value

    def candidates(
        self, query: Query, *, country: str | None = None, kind: str | None = None, limit: int = 100
    ) -> tuple[Hashable, list[Candidate]]:
        version, found = self.index.candidates(query, country=country, kind=kind, limit=limit)
        if not found and self.index.doc_count() == 0 and self._lost_its_documents(version):
            # "Not registered" from an index that lost its documents would be a lie.
            raise IndexUnavailable("the search index is empty while the database holds agencies")
        return version, found

    def _lost_its_documents(self, version: Hashable) -> bool:
        """An empty index while the database holds public agencies (asked once a version)."""
        if self._emptiness[0] != version:
            self._emptiness = (version, indexer.problem(self.engine, self.index) is not None)
        return self._emptiness[1]

    def version(self) -> Hashable:
        return self.index.version()

    def drain(self, *, batch: int = 500, timeout: float = 0.0) -> int:
        return indexer.drain(self.engine, self.index, batch=batch, timeout=timeout)

    def rebuild(
        self, *, progress: Callable[[int], None] = lambda n: None, timeout: float = 60.0
    ) -> int:
        repaired = indexer.repair(self.engine, self.index)  # files missing or corrupt
        if repaired is not None:
            return repaired
        return indexer.rebuild(self.engine, self.index, progress=progress, timeout=timeout)

    def compact(self, *, timeout: float = 60.0) -> bool:
        return indexer.compact(self.index, timeout=timeout)

    def doc_count(self) -> int:
        return self.index.doc_count()

    def problem(self) -> str | None:
        return indexer.problem(self.engine, self.index)

    def repair(self) -> int | None:
        return indexer.repair(self.engine, self.index)

    def warm(self) -> None:
        self.index.warm()

    def memory_advice(self) -> str | None:
        """None: the index files are mapped, and each worker's share is in bench/README.md."""
        return None

    def close(self) -> None:
        self.index.close()


def default_backend(database_url: str) -> str:
    return "postgres" if database_url.startswith("postgresql") else "whoosh"


def open_backend(name: str, *, engine: Engine, index_dir: str | Path) -> SearchBackend:
    if name == "whoosh":
        return WhooshSearch(engine, index_dir)
    if name == "postgres":
        if engine.dialect.name != "postgresql":
            raise RuntimeError(
                "REGISTRY_SEARCH_BACKEND=postgres needs a PostgreSQL database "
                "(REGISTRY_DATABASE_URL=postgresql+psycopg://...)"
            )
        from registry.search.postgres_index import PostgresSearch

        return PostgresSearch(engine)
    raise RuntimeError(f"unknown REGISTRY_SEARCH_BACKEND {name!r}: use one of {BACKENDS}")
