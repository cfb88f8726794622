"""Where the lookups that go wrong at scale go wrong: the query mix of bench/load.py run
in-process against a synthetic registry of `--size` agencies, each miss put in a category.

    python bench/misses_at_scale.py --size 1000000 [--backend whoosh|postgres] [--keep DIR]
        [--queries 4000] [--show CATEGORY]

`--show` takes words of several categories, separated by commas. `--keep DIR` keeps the built
registry (SQLite file and Whoosh index) in DIR and reuses it on the next run of the same size;
PostgreSQL builds go to a schema of their own, dropped afterwards.

Categories of a miss (the first that applies):
- "text is several agencies' name": the query is, word for word, the name or trade name of more
  than one agency (a trade name like "Pacifico Staffing" is shared by many agencies in a large
  synthetic registry): no lookup can tell which one was meant;
- "text is another agency's name": the query (a typo of one name) is exactly another agency's
  name or trade name: the registry is right to put that agency first;
- "not found": the expected agency is not among the results;
- "found, not first": it is among them, below another;
- for a real name that is not registered but was answered `match`: "registered after all" (a
  synthetic agency was given the same name), "the same words in another order", "a typo or
  sound away" (the name matched reads as the one typed give or take a slip), "other".
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import nullcontext
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load import NOT_REGISTERED, THROUGHPUT_MIX, build, make_queries  # noqa: E402
from search_quality import database, registry_rows, registry_settings  # noqa: E402
from synthetic import registry_rows as synthetic_registry  # noqa: E402

from registry.search.matching import name_key  # noqa: E402


def kind_of(query, registry: list[dict]) -> str:
    """What part of the mix a query came from (see bench/load.py make_queries)."""
    if query.expected == NOT_REGISTERED:
        return "not registered"
    row = registry[query.expected - 1]
    if query.text == row["name"]:
        return "exact name"
    if query.text in row["aliases"] + row["former"]:
        return "trade or former name"
    if any(query.text == number for number, _ in row["licences"]):
        return "licence number"
    return "one typo"


def false_match(text: str, result, owners) -> str:
    """Why a name that is not registered was answered `match` (see the categories above)."""
    if name_key(text) in owners:
        return "false match: registered after all"
    if not result.hits:
        return "false match: other"
    best = result.hits[0]
    if best.match == "exact":
        return "false match: same words, another order"
    if best.match == "strong":
        return "false match: a typo or sound away"
    return "false match: other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["whoosh", "postgres"], default="whoosh")
    parser.add_argument("--queries", type=int, default=THROUGHPUT_MIX)
    parser.add_argument("--keep", help="a folder to keep (and reuse) the built registry in")
    parser.add_argument("--show", help="print the misses of categories containing this text")
    args = parser.parse_args()

    kept, held_out = registry_rows()
    started = time.perf_counter()
    registry = synthetic_registry(kept, args.size)
    queries = make_queries(registry, held_out, args.queries)
    print(f"{args.size:,} agencies generated in {time.perf_counter() - started:.0f} s")

    owners: dict[str, set[int]] = defaultdict(set)  # name key -> agencies with that name
    for i, row in enumerate(registry, start=1):
        for name in [row["name"], *row["aliases"], *row["former"]]:
            owners[name_key(name)].add(i)

    keep = Path(args.keep) if args.keep and args.backend == "whoosh" else None
    with (
        nullcontext(str(keep)) if keep else tempfile.TemporaryDirectory() as tmp,
        database(Path(tmp), args.backend) as url,
    ):
        Path(tmp).mkdir(parents=True, exist_ok=True)
        marker = Path(tmp) / f"built-{args.size}"
        if not marker.exists():
            loaded, rate = build(args.backend, url, f"{tmp}/index", registry)
            print(f"built: records in {loaded:.0f} s, index at {rate:,.0f} agencies/s")
            if keep:
                marker.write_text("")
        evaluate(url, f"{tmp}/index", args.backend, registry, queries, owners, args.show)


def evaluate(url, index_dir, backend, registry, queries, owners, show) -> None:
    os.environ.update(registry_settings(backend, url, index_dir))
    from sqlmodel import Session

    from registry import create_app
    from registry.clock import today
    from registry.search import get_index
    from registry.search.service import search

    app = create_app()
    tally: Counter = Counter()
    by_kind: dict[str, list[bool]] = defaultdict(list)
    shown: list[str] = []
    show = (show or "").lower()
    times = []
    with app.test_request_context(), Session(app.extensions["registry.engine"]) as session:
        for q in queries[:50]:
            search(connection=session.connection(), index=get_index(), text=q.text, on=today())
        for q in queries:
            started = time.perf_counter()
            result = search(
                connection=session.connection(), index=get_index(), text=q.text, on=today()
            )
            times.append((time.perf_counter() - started) * 1000)
            ids = [h.agency.id for h in result.hits]
            kind = kind_of(q, registry)
            if q.expected == NOT_REGISTERED:
                right = result.outcome != "match"
                category = false_match(q.text, result, owners)
            else:
                right = ids[:1] == [q.expected]
                sharing = owners.get(name_key(q.text), set())
                if len(sharing) > 1 and q.expected in sharing:
                    category = "text is several agencies' name"
                elif sharing and q.expected not in sharing:
                    category = "text is another agency's name"
                elif q.expected not in ids:
                    category = "not found"
                else:
                    category = "found, not first"
            by_kind[kind].append(right)
            if not right:
                tally[kind, category] += 1
                if any(part.strip() and part.strip() in category for part in show.split(",")):
                    top = [(h.agency.name, h.match, round(h.score, 1)) for h in result.hits[:3]]
                    want = registry[q.expected - 1]["name"] if q.expected else "-"
                    shown.append(f"  {q.text!r} -> {result.outcome} {top} (want {want!r})")
    total = len(queries)
    misses = sum(tally.values())
    times.sort()
    print(
        f"\n{backend}: {total} queries, right first {1 - misses / total:.3f}; "
        f"median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms"
    )
    print(f"{'part of the mix':22} {'n':>5} {'right 1st':>9}")
    for kind, rights in sorted(by_kind.items()):
        print(f"{kind:22} {len(rights):5} {sum(rights) / len(rights):9.3f}")
    print(f"\n{'part of the mix':22} {'miss':34} {'n':>5} {'share of queries':>16}")
    for (kind, category), n in sorted(tally.items(), key=lambda item: -item[1]):
        print(f"{kind:22} {category:34} {n:5} {n / total:16.3f}")
    status = Path("/proc/self/status").read_text()
    memory = {
        key: round(int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) / 1024)
        for key in ("VmHWM", "VmRSS", "RssAnon", "RssFile")
    }
    print(f"\nmemory of this process, MB: {memory} (RssFile: the index files it maps)")
    print("\n".join(shown[:60]))


if __name__ == "__main__":
    main()
