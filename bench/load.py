"""Load benchmark: the registry under gunicorn beside Datasette's FTS5 search and a trivial Flask
endpoint, on the same synthetic registry and the same mix of realistic queries.

    python bench/load.py                       # 10k and 100k, both backends, peers
    python bench/load.py --sizes 1000000 --duration 20
    python bench/load.py --sizes 100000 --backends postgres --profile
    python bench/load.py --sizes 100000,1000000 --backends postgres --postgres-memory 2GB

For each size: a synthetic registry (bench/synthetic.py: aliases, contacts, licences, sanctions,
red flags) is written straight into a new database (a SQLite file; a PostgreSQL schema of its own
in BENCH_DATABASE_URL, default the local server's `test`, or on a server of the benchmark's own
with `--postgres-memory`: bench/postgres_server.py, which reads the tables into its memory after
the build, as a server answering for a while holds them), the search index is rebuilt from it
(agencies/s; on PostgreSQL, the search tables' size against shared_buffers), and gunicorn
serves it with the production settings (registry/ops/gunicorn_conf.py: one worker per core on
SQLite, two per core on PostgreSQL). Then, per backend:

- one client: median and p95 latency of /api/v1/search over the first 400 queries of the mix,
  each asked once, and the share of them answered right first (the expected agency first, or no
  `match` for a name that is not registered); the same for the HTML results page /search over
  the next 400 (first-time queries too: a worker keeps some of what it read for the last ones);
- throughput: wrk -t2 -c8 (Debian's wrk) for `--duration` seconds cycling through the whole mix
  of 4,000 queries (a run of 15 s asks each of them about once or twice in all, so what a worker
  keeps helps only as far as different queries find the same agencies);
- a flood: wrk cycling through the first 20 queries of the mix only, as when a scam makes the
  news and thousands type the same few names (the API; no one-client figures);
- peak memory (VmHWM) of each worker at the end, and its proportional share (PSS: its private
  memory plus its share of what the workers share, such as the mapped index files).

Peers, in the same run: Datasette 0.65 serving the same agencies (name, aliases, licence numbers)
with `sqlite-utils enable-fts` (FTS5), queried with ?_search= on its table page as published and
with its row count and facets switched off (the faster is compared with), and a Flask endpoint
returning a constant JSON object under the same gunicorn settings (the framework's ceiling).
Datasette and sqlite-utils are installed into .bench-venv/ on first use (they are not the registry's
dependencies). The query mix: 30% exact names, 20% names with a typo, 15% aliases and former
names, 15% licence numbers, 20% real names that are not registered.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from postgres_server import prewarm, private_server  # noqa: E402
from search_quality import database, registry_rows, registry_settings, typo  # noqa: E402
from synthetic import load_registry  # noqa: E402
from synthetic import registry_rows as synthetic_registry  # noqa: E402

from registry.ops.gunicorn_conf import default_workers  # noqa: E402

PEERS_VENV = ROOT / ".bench-venv"
CORES = os.cpu_count() or 1
# One client runs ONE_CLIENT queries of the mix once (the API the first, the HTML page the next);
# wrk cycles through all of them.
ONE_CLIENT = 400
THROUGHPUT_MIX = 4000
# A scam in the news: wrk cycles through this many queries of the mix (registry.search.rankings).
FLOOD = 20
NOT_REGISTERED = 0


@dataclass
class Query:
    text: str
    expected: int  # agency id, or NOT_REGISTERED


@dataclass
class Measure:
    label: str
    median_ms: float = 0.0
    p95_ms: float = 0.0
    right_first: float | None = None
    throughput: float = 0.0
    memory_mb: list[float] = field(default_factory=list)  # peak resident (VmHWM) per worker
    shared_mb: list[float] = field(default_factory=list)  # PSS per worker: shared counted once
    extra: str = ""


# -- the registry and the queries --------------------------------------------------------------
def make_queries(
    registry: list[dict], held_out: list[dict], count: int = 400, seed: int = 5
) -> list[Query]:
    rng = random.Random(seed)
    queries: list[Query] = []
    picks = lambda: rng.randrange(len(registry))  # noqa: E731
    named = [j for j, x in enumerate(registry) if x["aliases"] or x["former"]]
    while len(queries) < count:
        roll = rng.random()
        i = picks()
        r = registry[i]
        if roll < 0.30:
            queries.append(Query(r["name"], i + 1))
        elif roll < 0.50:
            text = typo(r["name"], rng, 1)
            if text:
                queries.append(Query(text, i + 1))
        elif roll < 0.65:
            j = named[rng.randrange(len(named))] if named else i
            x = registry[j]
            queries.append(
                Query(
                    (x["aliases"] + x["former"])[0] if x["aliases"] or x["former"] else x["name"],
                    j + 1,
                )
            )
        elif roll < 0.80:
            queries.append(Query(r["licences"][0][0], i + 1))
        else:
            queries.append(Query(rng.choice(held_out)["name"], NOT_REGISTERED))
    # what the API takes (1 to 300 characters)
    return [q for q in queries if 0 < len(q.text.strip()) <= 300]


def right_first(query: Query, first_id: int | None, outcome_is_match: bool) -> bool:
    if query.expected == NOT_REGISTERED:
        return not outcome_is_match
    return first_id == query.expected


# -- processes ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def serving(command: list[str], env: dict, health_url: str):
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(health_url)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def worker_memory_mb(master_pid: int) -> list[float]:
    """Peak resident memory (VmHWM) of each child of a gunicorn master."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            peak = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
            if peak:
                found.append(round(int(peak.group(1)) / 1024, 1))
    return sorted(found)


def worker_shares_mb(master_pid: int) -> list[float]:
    """Each gunicorn worker's proportional set size (PSS) now: its private memory plus its share
    of what it shares with the other workers (the mapped index files, pages inherited from the
    master), so that what the workers share is counted once among them."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            if not re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
                continue
            rollup = (status.parent / "smaps_rollup").read_text()
        except OSError:
            continue
        pss = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
        if pss:
            found.append(round(int(pss.group(1)) / 1024, 1))
    return sorted(found)


def gunicorn(app: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:registry.ops.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        app,
    ]


# -- measuring ---------------------------------------------------------------------------------
def one_client(base: str, paths: list[str]) -> tuple[list[float], list[bytes]]:
    times, bodies = [], []
    for path in paths:
        started = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=30) as response:
            body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        bodies.append(body)
    return times, bodies


def wrk(base: str, paths: list[str], duration: int) -> tuple[float, str]:
    """Requests per second with wrk -t2 -c8 cycling through `paths`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            "paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
            "i = 0\nrequest = function()\n  i = i % #paths + 1\n"
            "  return wrk.format('GET', paths[i])\nend\n"
        )
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", "-s", script.name, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", output)
    return rate, errors.group(0) if errors else ""


def summary(label: str, times: list[float]) -> Measure:
    times = sorted(times)
    return Measure(label, statistics.median(times), times[int(len(times) * 0.95)])


def search_path(query: Query) -> str:
    return "/api/v1/search?" + urllib.parse.urlencode({"q": query.text})


def measure_registry(
    backend: str, url: str, index_dir: str, queries: list[Query], duration: int
) -> list[Measure]:
    port = free_port()
    env = {**os.environ, **registry_settings(backend, url, index_dir)}
    base = f"http://127.0.0.1:{port}"
    api = [search_path(q) for q in queries]
    html = ["/search?" + urllib.parse.urlencode({"q": q.text}) for q in queries]
    sample = queries[:ONE_CLIENT]
    workers = default_workers(url)  # what production runs with this database
    with serving(
        gunicorn("registry:create_app()", port, workers), env, base + "/healthz"
    ) as server:
        one_client(base, api[-50:] * workers)  # warm every worker (with queries not measured)
        times, bodies = one_client(base, api[:ONE_CLIENT])
        api_measure = summary(f"registry {backend}: API ({workers} workers)", times)
        hits = 0
        for query, body in zip(sample, bodies):
            data = json.loads(body)
            first = data["results"][0]["id"] if data["results"] else None
            hits += right_first(query, first, data["outcome"] == "match")
        api_measure.right_first = hits / len(sample)
        html_measure = summary(  # other queries: a worker remembers some of what it answered
            f"registry {backend}: HTML page",
            one_client(base, html[ONE_CLIENT : 2 * ONE_CLIENT])[0],
        )
        api_measure.throughput, api_measure.extra = wrk(base, api, duration)
        html_measure.throughput, html_measure.extra = wrk(base, html, duration)
        flood = Measure(f"registry {backend}: API, flood of {FLOOD}")
        flood.throughput, flood.extra = wrk(base, api[:FLOOD], duration)
        api_measure.memory_mb = worker_memory_mb(server.pid)
        api_measure.shared_mb = worker_shares_mb(server.pid)
    return [api_measure, html_measure, flood]


# Datasette's table page also counts the rows found and suggests facets; these switch both
# off, as a team publishing a search endpoint would (the faster of the two is compared with).
LEAN_DATASETTE = {"_nocount": 1, "_nofacet": 1, "_nosuggest": 1}


def measure_datasette(
    registry: list[dict], queries: list[Query], tmp: Path, duration: int
) -> list[Measure]:
    ensure_peers()
    db = tmp / "peers.db"
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE agencies (id INTEGER PRIMARY KEY, name TEXT, "
            "aliases TEXT, licences TEXT, country TEXT)"
        )
        connection.executemany(
            "INSERT INTO agencies VALUES (?, ?, ?, ?, ?)",
            (
                (
                    i + 1,
                    r["name"],
                    " | ".join(r["aliases"] + r["former"]),
                    " ".join(n for n, _ in r["licences"]),
                    r["country"],
                )
                for i, r in enumerate(registry)
            ),
        )
    subprocess.run(
        [
            str(PEERS_VENV / "bin" / "sqlite-utils"),
            "enable-fts",
            str(db),
            "agencies",
            "name",
            "aliases",
            "licences",
            "--fts5",
        ],
        check=True,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(PEERS_VENV / "bin" / "datasette"),
        "serve",
        str(db),
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "5000",
    ]
    measures = []
    with serving(command, dict(os.environ), base + "/-/versions.json") as server:
        for label, lean in (
            ("Datasette FTS5, table page", {}),
            ("Datasette FTS5, no count/facets", LEAN_DATASETTE),
        ):
            paths = [
                "/peers/agencies.json?"
                + urllib.parse.urlencode(
                    {"_search": q.text, "_size": 5, "_shape": "objects", **lean}
                )
                for q in queries
            ]
            one_client(base, paths[-50:])
            times, bodies = one_client(base, paths[:ONE_CLIENT])
            measure = summary(label, times)
            hits = 0
            for query, body in zip(queries[:ONE_CLIENT], bodies):
                rows = json.loads(body)["rows"]
                # Datasette has no notion of a match: any row found for an unregistered name
                # is taken as an answer (a user would read it as "found").
                hits += right_first(query, rows[0]["id"] if rows else None, bool(rows))
            measure.right_first = hits / ONE_CLIENT
            measure.throughput, measure.extra = wrk(base, paths, duration)
            measure.memory_mb = [peak_of(server.pid)]
            measures.append(measure)
    return measures


def peak_of(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return round(int(re.search(r"^VmHWM:\s+(\d+) kB", text, re.M).group(1)) / 1024, 1)


def measure_trivial(duration: int) -> Measure:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    base = f"http://127.0.0.1:{port}"
    # One worker per core: its throughput was the same with two per core (4,080 to 4,180
    # requests/s against 3,800 to 4,300 on 2 cores).
    with serving(gunicorn("trivial_app:app", port, CORES), env, base + "/") as server:
        measure = summary("trivial Flask endpoint", one_client(base, ["/"] * 500)[0])
        measure.throughput, measure.extra = wrk(base, ["/"], duration)
        measure.memory_mb = worker_memory_mb(server.pid)
    return measure


def ensure_peers() -> None:
    if (PEERS_VENV / "bin" / "datasette").exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    subprocess.run(
        [
            str(PEERS_VENV / "bin" / "pip"),
            "install",
            "--quiet",
            "datasette>=0.65,<0.66",
            "sqlite-utils>=3.38,<5",
        ],
        check=True,
    )


# -- building ----------------------------------------------------------------------------------
def build(
    backend: str, url: str, index_dir: str, registry: list[dict], warm: bool = False
) -> tuple[float, float]:
    """Write the registry and rebuild the index; (seconds to load, agencies per second). With
    `warm`, PostgreSQL reads the tables into its memory afterwards (postgres_server.prewarm)."""
    os.environ.update(registry_settings(backend, url, index_dir), REGISTRY_LOG_LEVEL="WARNING")
    from registry import create_app, schema

    app = create_app()
    engine = app.extensions["registry.engine"]
    schema.upgrade(engine)
    started = time.perf_counter()
    load_registry(engine, registry)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    count = app.extensions["registry.index"].rebuild(timeout=600)
    rate = count / (time.perf_counter() - started)
    app.extensions["registry.index"].compact()
    if backend == "postgres":
        from registry.search import postgres_memory

        with engine.connect() as connection:
            tables, buffers = postgres_memory.sizes(connection)
        print(
            f"postgres: search tables {tables / 2**20:,.0f} MB, shared_buffers "
            f"{buffers / 2**20:,.0f} MB",
            flush=True,
        )
        if warm:
            print(f"postgres: {prewarm(engine) / 2**20:,.0f} MB read into shared_buffers")
    app.extensions["registry.index"].close()
    engine.dispose()
    return loaded, rate


def profile(queries: list[Query]) -> None:
    """Where a lookup's time goes, in-process, over the query mix (the app as configured by
    the last build)."""
    from sqlmodel import Session

    from registry import create_app
    from registry.clock import today
    from registry.search import get_index
    from registry.search.service import search

    app = create_app()
    with app.test_request_context(), Session(app.extensions["registry.engine"]) as session:
        for q in queries[:50]:
            search(connection=session.connection(), index=get_index(), text=q.text, on=today())
        profiler = cProfile.Profile()
        profiler.enable()
        for q in queries:
            search(connection=session.connection(), index=get_index(), text=q.text, on=today())
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(
        f"\nprofile: {len(queries)} lookups, {total * 1000 / len(queries):.1f} ms of CPU each "
        "(cProfile adds overhead); cumulative share of the top functions:"
    )
    rows = sorted(((v[3], f) for f, v in stats.stats.items()), reverse=True)
    shown = 0
    for cumulative, (filename, line, name) in rows:
        if (
            "registry" not in filename
            and "whoosh" not in filename
            and "sqlalchemy" not in filename
            and "psycopg" not in filename
            and "rapidfuzz" not in filename
        ):
            continue
        short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        print(f"  {cumulative / total * 100:5.1f}%  {short}:{line} {name}")
        shown += 1
        if shown == 22:
            break
    print("own time (tottime) of the top functions:")
    for own, (filename, line, name) in sorted(
        ((v[2], f) for f, v in stats.stats.items()), reverse=True
    )[:15]:
        short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        print(f"  {own / total * 100:5.1f}%  {short}:{line} {name}")


# -- report ------------------------------------------------------------------------------------
HEADER = (
    f"{'':36} {'median ms':>9} {'p95 ms':>7} {'right 1st':>9} {'req/s':>8} "
    f"{'vs trivial':>10} {'peak MB/worker':>15} {'PSS MB/worker':>14}"
)


def print_table(size: int, rows: list[Measure], trivial: Measure) -> None:
    print(f"\n== {size:,} agencies; throughput with wrk -t2 -c8, gunicorn on {CORES} cores ==")
    print_rows(rows + [trivial], trivial)
    summary_ratios(rows, trivial)


def print_rows(rows: list[Measure], trivial: Measure) -> None:
    print(HEADER)
    for m in rows:
        rf = f"{m.right_first:9.2f}" if m.right_first is not None else "        -"
        ratio = m.throughput / trivial.throughput if trivial.throughput else 0
        memory = f"{max(m.memory_mb):.0f}" if m.memory_mb else "-"
        shared = f"{max(m.shared_mb):.0f}" if m.shared_mb else "-"
        timed = (
            f"{m.median_ms:9.1f} {m.p95_ms:7.1f}" if m.median_ms else f"{'-':>9} {'-':>7}"
        )  # no one-client figures
        print(
            f"{m.label:36} {timed} {rf} {m.throughput:8.0f} {ratio:10.2f} {memory:>15} "
            f"{shared:>14} {m.extra}",
            flush=True,
        )


def summary_ratios(rows: list[Measure], trivial: Measure) -> None:
    peers = [m for m in rows if m.label.startswith("Datasette")]
    if peers:
        fastest = max(peers, key=lambda m: m.throughput)
        for m in rows:
            if m.label.startswith("registry"):
                print(
                    f"  {m.label}: {m.throughput / fastest.throughput:.2f}x Datasette's "
                    f"throughput, {m.throughput / trivial.throughput:.2f}x the trivial "
                    "endpoint's"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="whoosh,postgres")
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per figure")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument(
        "--postgres-memory",
        metavar="SIZE",
        help="run the PostgreSQL backend on a server of the benchmark's own with this "
        "shared_buffers (such as 2GB; bench/postgres_server.py), not BENCH_DATABASE_URL's",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the lookups in-process after the last backend",
    )
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.postgres_memory:
            os.environ["BENCH_DATABASE_URL"] = stack.enter_context(
                private_server(args.postgres_memory, free_port())
            )
        run(args)


def run(args: argparse.Namespace) -> None:
    kept, held_out = registry_rows()
    trivial = Measure("trivial Flask endpoint") if args.no_peers else measure_trivial(args.duration)
    for size in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        registry = synthetic_registry(kept, size)
        queries = make_queries(registry, held_out, THROUGHPUT_MIX)
        print(
            f"\n{size:,} synthetic agencies generated in {time.perf_counter() - started:.0f} s "
            f"({sum(len(r['aliases']) + len(r['former']) for r in registry):,} other names, "
            f"{sum(len(r['licences']) for r in registry):,} licences, "
            f"{sum(r['sanctions'] for r in registry):,} sanctions, "
            f"{sum(r['red_flags'] for r in registry):,} red flags); {len(queries)} queries"
        )
        rows: list[Measure] = []
        for backend in args.backends.split(","):
            with tempfile.TemporaryDirectory() as tmp, database(Path(tmp), backend) as url:
                warm = bool(args.postgres_memory)
                loaded, rate = build(backend, url, f"{tmp}/index", registry, warm)
                print(
                    f"{backend}: records written in {loaded:.0f} s; index rebuilt at "
                    f"{rate:,.0f} agencies/s",
                    flush=True,
                )
                measured = measure_registry(backend, url, f"{tmp}/index", queries, args.duration)
                print_rows(measured, trivial)
                rows += measured
                if args.profile:
                    profile(queries[:ONE_CLIENT])
        if not args.no_peers:
            with tempfile.TemporaryDirectory() as tmp:
                rows += measure_datasette(registry, queries, Path(tmp), args.duration)
        print_table(size, rows, trivial)


if __name__ == "__main__":
    main()
