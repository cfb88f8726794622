"""Search: matching rules, the Whoosh index, the outbox indexer and the lookup service."""
from __future__ import annotations

import threading

from flask import Flask, current_app

from registry.search import outbox
from registry.search.indexer import BackgroundIndexer, drain
from registry.search.whoosh_index import SearchIndex


def get_index() -> SearchIndex:
    return current_app.extensions["registry.index"]


def drain_now() -> None:
    """Index what the current request committed, unless another process is indexing already."""
    drain(current_app.extensions["registry.engine"], get_index())


def init_app(app: Flask) -> None:
    outbox.register()
    app.extensions["registry.index"] = SearchIndex(app.config["INDEX_DIR"])
    if app.config["INDEXER_THREAD"]:
        lock = threading.Lock()

        def start_indexer_once() -> None:
            if "registry.indexer" in app.extensions:
                return
            with lock:
                if "registry.indexer" in app.extensions:
                    return
                indexer = BackgroundIndexer(app.extensions["registry.engine"],
                                            app.extensions["registry.index"],
                                            app.config["INDEXER_INTERVAL"])
                app.extensions["registry.indexer"] = indexer
                indexer.start()
        app.before_request(start_indexer_once)
