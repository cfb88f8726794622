"""Median and p95 time of the lookup (candidates + ranking + verdicts) over the realistic registry.

python bench/search_latency.py        # builds ~14,650 agencies from ../shared/data first
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realistic_csv import main as make_csv  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "agencies.csv"
        make_csv(csv_path)
        os.environ.update(
            REGISTRY_DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
            REGISTRY_INDEX_DIR=f"{tmp}/index",
            REGISTRY_SECRET_KEY="bench",
            REGISTRY_INDEXER_THREAD="0",
        )
        for args in (["init-db"], ["import-agencies", str(csv_path), "--skip-invalid"]):
            subprocess.run(
                [sys.executable, "-m", "flask", "--app", "registry", *args],
                check=True,
                capture_output=True,
            )
        from sqlmodel import Session, select

        from registry import create_app
        from registry.clock import today
        from registry.models import Agency
        from registry.search import get_index
        from registry.search.service import search

        app = create_app()
        with app.test_request_context(), Session(app.extensions["registry.engine"]) as session:
            names = session.exec(select(Agency.name)).all()
            rng = random.Random(7)
            queries = rng.sample(names, 200)
            queries += [q[:-2] + q[-1] for q in rng.sample(names, 100)]  # a dropped letter
            queries += ["Agencia Inexistente del Sur", "Global Jobs Guaranteed"] * 10
            timings = []
            for query in queries:
                started = time.perf_counter()
                search(connection=session.connection(), index=get_index(), text=query, on=today())
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(f"agencies: {len(names)}, queries: {len(queries)}")
        print(
            f"median {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms, max {timings[-1]:.1f} ms"
        )


if __name__ == "__main__":
    main()
