"""Import the real lists in ../shared/data with `import-list` (docs/lists/ mappings) into a
registry that already holds the POEA agencies and, as agencies, names from the same lists
(bench/realistic_csv.py: ~14,650 rows), then import the IDB list again, as a newer edition.
Prints what each import did and how long it took.

python bench/import_lists.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_speed import flask  # noqa: E402
from realistic_csv import DATA  # noqa: E402
from realistic_csv import main as make_csv  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LISTS = [
    (
        "IDB sanctioned firms",
        DATA / "idb_sanctioned_firms_individuals_2025.csv",
        "idb.json",
        "2025-06-30",
    ),
    (
        "SAT art. 69-B",
        DATA / "mx_sat_69b_listado_completo_2022-11-30.csv",
        "sat-69b.json",
        "2022-11-30",
    ),
    (
        "IDB, again (a newer edition)",
        DATA / "idb_sanctioned_firms_individuals_2025.csv",
        "idb.json",
        "2025-09-30",
    ),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "REGISTRY_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "REGISTRY_INDEX_DIR": f"{tmp}/index",
            "REGISTRY_INDEXER_THREAD": "0",
        }
        csv_path = Path(tmp) / "agencies.csv"
        rows = make_csv(csv_path)
        flask(env, "init-db")
        seconds, _ = flask(env, "import-agencies", str(csv_path), "--skip-invalid")
        print(f"registry before the lists: {rows:,} rows imported in {seconds:.0f} s\n")
        print("| list | what the import did | seconds |")
        print("|---|---|---|")
        for label, path, mapping, published in LISTS:
            seconds, said = flask(
                env,
                "import-list",
                str(path),
                "--mapping",
                str(ROOT / "docs/lists" / mapping),
                "--published",
                published,
            )
            print(f"| {label} | {said.split(';')[0]} | {seconds:.0f} |")


if __name__ == "__main__":
    main()
