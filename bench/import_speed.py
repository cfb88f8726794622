"""Time `import-agencies` of ~15,000 realistic rows (index included) in a fresh instance, twice.

python bench/import_speed.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realistic_csv import main as make_csv  # noqa: E402


def flask(env, *args) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "registry", *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "agencies.csv"
        rows = make_csv(csv_path)
        env = {
            **os.environ,
            "REGISTRY_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "REGISTRY_INDEX_DIR": f"{tmp}/index",
            "REGISTRY_SECRET_KEY": "bench",
        }
        flask(env, "init-db")
        first, summary = flask(env, "import-agencies", str(csv_path), "--skip-invalid")
        print(f"rows: {rows}")
        print(
            f"first import (database + index): {first:.1f} s, {rows / first:.0f} rows/s "
            f"-> {summary}"
        )
        second, summary = flask(env, "import-agencies", str(csv_path), "--skip-invalid")
        print(f"second import (no change): {second:.1f} s -> {summary}")
        rebuild, summary = flask(env, "reindex")
        print(f"reindex: {rebuild:.1f} s -> {summary}")


if __name__ == "__main__":
    run()
