"""Search: matching rules, the two backends, the outbox indexer and the lookup service."""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from registry.agencies.listing import ListingCache
from registry.clock import today
from registry.db import forget_lookup_connection, get_lookup_connection, is_dropped
from registry.search import outbox
from registry.search.backend import SearchBackend, default_backend, open_backend
from registry.search.indexer import BackgroundIndexer
from registry.search.rankings import RankingCache
from registry.search.service import SearchResult, search

log = logging.getLogger(__name__)


def get_index() -> SearchBackend:
    return current_app.extensions["registry.index"]


def get_listing() -> ListingCache:
    """The records this process keeps for lists of results (registry.agencies.listing)."""
    return current_app.extensions["registry.listing"]


def get_rankings() -> RankingCache:
    """The rankings of recent queries this process keeps (registry.search.rankings)."""
    return current_app.extensions["registry.rankings"]


def lookup(
    text: str,
    *,
    limit: int,
    country: str | None = None,
    kind: str | None = None,
    verdict: str | None = None,
) -> SearchResult:
    """The lookup (registry.search.service.search) as of today, for the current request: its
    reader's connection, and this process's index, listing and rankings. The search page, the
    API and the report form's "is it one of these?" all ask through it.

    Lookup connections are not checked before use (a round trip less): one dropped since its
    last use (a database restart, a firewall's idle timeout) fails the statement, SQLAlchemy
    discards the pool's connections, and the lookup, which only reads, is asked again."""
    for attempt in range(LOOKUP_ATTEMPTS):
        try:
            return search(
                connection=get_lookup_connection(),
                index=get_index(),
                text=text,
                on=today(),
                country=country,
                kind=kind,
                verdict=verdict,
                limit=limit,
                listing=get_listing(),
                rankings=get_rankings(),
            )
        except Exception as error:
            if attempt == LOOKUP_ATTEMPTS - 1 or not is_dropped(error):
                raise
            log.warning("a lookup's database connection was dropped; asking again")
            forget_lookup_connection()
    raise AssertionError("unreachable")


# A lookup reads through two connections of one pool (the index's, the records'): after a
# restart, the first found dropped empties the pool, and the second attempt takes new ones.
LOOKUP_ATTEMPTS = 2


def drain_now() -> None:
    """Index what the current request committed, unless another process is indexing already.
    Called after a commit, it never fails the request: the write is recorded, and what could
    not be indexed now stays in the outbox for the indexer (a user told "failed" would try
    again, and make a duplicate)."""
    try:
        get_index().drain()
    except Exception:  # noqa: BLE001 - logged; the outbox keeps the rows
        log.exception("indexing after a commit failed; the indexer will catch up")


def init_app(app: Flask) -> None:
    outbox.register()
    if not app.config.get("SEARCH_BACKEND"):
        app.config["SEARCH_BACKEND"] = default_backend(app.config["DATABASE_URL"])
    app.extensions["registry.index"] = open_backend(
        app.config["SEARCH_BACKEND"],
        engine=app.extensions["registry.engine"],
        index_dir=app.config["INDEX_DIR"],
    )
    app.extensions["registry.lookups"] = app.extensions["registry.index"].lookup_engine
    app.extensions["registry.listing"] = ListingCache(app.config["LISTING_CACHE_SIZE"])
    app.extensions["registry.rankings"] = RankingCache(app.config["RANKING_CACHE_SIZE"])
    if app.config["INDEXER_THREAD"]:
        lock = threading.Lock()

        def start_indexer_once() -> None:
            if "registry.indexer" in app.extensions:
                return
            with lock:
                if "registry.indexer" in app.extensions:
                    return
                indexer = BackgroundIndexer(
                    app.extensions["registry.index"],
                    app.config["INDEXER_INTERVAL"],
                    jobs=app.extensions.setdefault("registry.jobs", {}),
                )
                app.extensions["registry.indexer"] = indexer
                indexer.start()

        app.before_request(start_indexer_once)
