"""The public statistics at regional size: how long the background worker takes to count them,
and how fast `/statistics`, a chart and a CSV answer from what it stored.

    python bench/public_statistics.py [--sizes 100000 1000000] [--backend sqlite|postgres]

Each size builds a synthetic registry shaped like the real lists (bench/synthetic.py: licences,
sanctions, red flags, contacts), adds inspections, findings, placement returns and a year of
lookup tallies, runs `figures.refresh` and `insights.refresh_shared` (timed), then asks each
page 200 times in-process (Flask's test client: the server's own time, no network) and prints
p50 / p95 / max. Latest figures: bench/README.md."""

from __future__ import annotations

import argparse
import os
import random
import statistics as stats
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from search_quality import database, registry_rows  # noqa: E402
from synthetic import load_registry  # noqa: E402
from synthetic import registry_rows as synthetic_registry  # noqa: E402

ASKS = 200


def add_activity(engine, size: int, seed: int = 5) -> None:
    """What the synthetic registry lacks: visits, findings, returns, lookups, decided flags."""
    from sqlalchemy import insert, select, update

    from registry.models import (
        Authority,
        Finding,
        Inspection,
        Licence,
        LookupTally,
        PlacementReturn,
        RedFlag,
    )

    rng = random.Random(seed)
    today, now = date.today(), datetime.now(UTC)
    with engine.begin() as connection:
        authorities = connection.execute(select(Authority.id)).scalars().all()
        licences = connection.execute(
            select(Licence.id, Licence.agency_id).limit(max(1, size // 10))
        ).all()
        visits, findings, returns = [], [], []
        for licence_id, agency_id in licences:
            day = today - timedelta(days=rng.randrange(3650))
            visits.append(
                {
                    "agency_id": agency_id,
                    "authority_id": rng.choice(authorities),
                    "kind": rng.choice(["inspection", "monitoring_visit"]),
                    "visited_on": day,
                    "outcome": rng.choice(["compliant", "issues_found", "serious_breaches"]),
                    "notes": "",
                    "created_at": now,
                }
            )
            if rng.random() < 0.2:
                findings.append(
                    {
                        "agency_id": agency_id,
                        "authority_id": rng.choice(authorities),
                        "decided_on": day,
                        "summary": "Synthetic finding (benchmark)",
                        "reference": "",
                        "lang": "en",
                        "created_at": now,
                    }
                )
            for year in rng.sample(range(today.year - 5, today.year + 1), 2):
                returns.append(
                    {
                        "licence_id": licence_id,
                        "year": year,
                        "destination": rng.choice(["US", "CA", "MX", "ES"]),
                        "women": rng.randrange(50),
                        "men": rng.randrange(80),
                        "unspecified": rng.randrange(3),
                        "updated_at": now,
                    }
                )
        for table, rows in ((Inspection, visits), (Finding, findings), (PlacementReturn, returns)):
            for start in range(0, len(rows), 5000):
                connection.execute(insert(table), rows[start : start + 5000])
        tallies = [
            {
                "day": today - timedelta(days=d),
                "country": c,
                "outcome": o,
                "count": rng.randrange(500),
            }
            for d in range(365)
            for c in ("", "MX", "GT", "PH")
            for o in ("licensed", "other", "similar", "none")
        ]
        connection.execute(insert(LookupTally), tallies)
        connection.execute(
            update(RedFlag)
            .where(RedFlag.id % 2 == 0)
            .values(state="substantiated", decided_at=RedFlag.created_at)
        )


def timed(client, path: str) -> dict:
    times = []
    for _ in range(ASKS):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return {
        "p50": stats.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
    }


def run(size: int, backend: str, kept: list[dict]) -> None:
    from registry import create_app, schema
    from registry.statistics import figures, insights

    with tempfile.TemporaryDirectory() as tmp:
        with database(Path(tmp), "whoosh" if backend == "sqlite" else "postgres") as url:
            os.environ.update(
                REGISTRY_DATABASE_URL=url,
                REGISTRY_INDEX_DIR=f"{tmp}/index",
                REGISTRY_SEARCH_BACKEND="whoosh" if backend == "sqlite" else "postgres",
                REGISTRY_SECRET_KEY="bench",
                REGISTRY_INDEXER_THREAD="0",
                REGISTRY_LOG_LEVEL="WARNING",
            )
            app = create_app()
            engine = app.extensions["registry.engine"]
            schema.upgrade(engine)
            started = time.perf_counter()
            load_registry(engine, synthetic_registry(kept, size))
            add_activity(engine, size)
            built = time.perf_counter() - started
            started = time.perf_counter()
            data = figures.refresh(engine)
            counted = time.perf_counter() - started
            started = time.perf_counter()
            insights.refresh_shared(engine)
            shared = time.perf_counter() - started
            client = app.test_client()
            pages = {
                "/statistics": timed(client, "/statistics"),
                "/statistics?country=MX": timed(client, "/statistics?country=MX"),
                "/statistics/licences.svg": timed(client, "/statistics/licences.svg"),
                "/statistics/red_flags.csv": timed(client, "/statistics/red_flags.csv"),
            }
            rows = sum(len(v) for k, v in data.items() if k != "on")
            print(
                f"\n{backend} {size:,} agencies: built in {built:.0f} s; statistics counted in "
                f"{counted:.1f} s ({rows} rows), shared contacts in {shared:.1f} s"
            )
            print("| page | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
            for path, t in pages.items():
                print(f"| `{path}` | {t['p50']:.1f} | {t['p95']:.1f} | {t['max']:.1f} |")
            app.extensions["registry.index"].close()
            engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    kept, _left_out = registry_rows()
    for size in args.sizes:
        run(size, args.backend, kept)


if __name__ == "__main__":
    main()
