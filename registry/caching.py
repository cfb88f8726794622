"""The one bounded cache of the registry: least recently used first out, safe across threads,
bounded by a count or by a weight (cachetools' LRUCache, behind a lock).

Used where a process keeps what it read and checks it before use: the rankings of recent
queries (registry.search.rankings), the records of listed agencies (registry.agencies.listing),
the postings of a Whoosh segment (registry.search.whoosh_index)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")


class Bounded(Generic[V]):
    """At most `size` entries (or `size` in weight, when `weigh` gives an entry's); 0 keeps
    nothing. An entry heavier than the whole cache is not kept."""

    def __init__(self, size: int, weigh: Callable[[V], int] | None = None):
        self.size = size
        self._kept: LRUCache | None = LRUCache(maxsize=size, getsizeof=weigh) if size > 0 else None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept) if self._kept is not None else 0

    @property
    def weight(self) -> int:
        return int(self._kept.currsize) if self._kept is not None else 0

    def get(self, key: Hashable) -> V | None:
        """The entry, now the most recently used; None when not kept."""
        if self._kept is None:
            return None
        with self._lock:
            return self._kept.get(key)

    def get_many(self, keys: Iterable[Hashable]) -> dict:
        """The entries kept of `keys`, each now among the most recently used."""
        if self._kept is None:
            return {}
        with self._lock:
            return {key: self._kept[key] for key in keys if key in self._kept}

    def put(self, key: Hashable, value: V) -> None:
        if self._kept is None:
            return
        with self._lock:
            try:
                self._kept[key] = value
            except ValueError:  # heavier than the whole cache
                pass

    def put_many(self, items: Iterable[tuple[Hashable, V]]) -> None:
        if self._kept is None:
            return
        with self._lock:
            for key, value in items:
                try:
                    self._kept[key] = value
                except ValueError:
                    pass

    def clear(self) -> None:
        if self._kept is not None:
            with self._lock:
                self._kept.clear()
