"""The one bounded cache (registry.caching): least recently used out first, by count or weight."""

from __future__ import annotations

import threading

from registry.caching import Bounded


def test_the_least_recently_used_goes_first():
    kept = Bounded(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" is now the most recently used
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)


def test_a_weighted_cache_keeps_its_weight_and_never_one_too_heavy():
    kept = Bounded(10, weigh=len)
    kept.put("six", [0] * 6)
    kept.put("four", [0] * 4)
    assert kept.weight == 10
    kept.put("three", [0] * 3)
    assert kept.get("six") is None and kept.weight == 7
    kept.put("eleven", [0] * 11)  # heavier than the whole cache: not kept, nothing lost
    assert kept.get("eleven") is None and kept.weight == 7


def test_size_zero_keeps_nothing():
    kept = Bounded(0)
    kept.put("a", 1)
    kept.put_many([("b", 2)])
    assert len(kept) == 0 and kept.get("a") is None and kept.get_many(["a", "b"]) == {}


def test_many_threads_never_exceed_the_bound():
    kept = Bounded(100)

    def work(offset):
        for n in range(2000):
            kept.put((offset, n), n)
            kept.get((offset, n - 50))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kept) == 100
