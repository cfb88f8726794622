"""Does each use of Whoosh's private API (registry/search/whoosh_private.py) still pay?

Builds one synthetic registry's documents in memory, then, for each piece, times the public
API's way of doing the same thing against ours, and prints the ratio. A piece that pays less
than a factor of two should give way to the public API.

    python bench/whoosh_private.py [--size 100000] [--repeat 3]

- Writing: a full index built with Whoosh's own writer (codec W3Codec, its PostingPool), with
  each of our two pieces alone (FastCodec, RunPool) and with both (what the registry does).
- Reading: every posting list of the common terms (those the registry warms) read with the
  public matcher (`reader.postings(field, text).all_ids()`) and with read_postings.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from realistic_csv import poea_rows, sat_rows  # noqa: E402
from synthetic import registry_rows  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh.writing import PostingPool, SegmentWriter  # noqa: E402

from registry.search.documents import make_document  # noqa: E402
from registry.search.whoosh_index import SCHEMA, SearchIndex  # noqa: E402
from registry.search.whoosh_private import FastCodec, RunPool, read_postings  # noqa: E402

LIMIT_MB = 128


def documents(size: int) -> list:
    real = list(poea_rows()) + list(sat_rows(10_000))
    rows = registry_rows(real, size, seed=3)
    made = []
    for n, row in enumerate(rows, start=1):
        made.append(
            make_document(
                n,
                names=[row["name"], *row["aliases"], *row["former"]],
                country=row["country"],
                kind=row["kind"],
                licences=[number for number, _ in row["licences"]],
                phones=row["phones"],
                emails=row["emails"],
                websites=[],
            )
        )
    return made


def build(folder: Path, docs: list, *, codec: bool, pool: bool) -> float:
    """Seconds to write and commit every document into a new index in `folder`."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    index = whoosh_index.create_in(str(folder), SCHEMA)
    gc.collect()
    started = time.perf_counter()
    writer = SegmentWriter(index, limitmb=LIMIT_MB, **({"codec": FastCodec()} if codec else {}))
    if pool:
        writer.pool = RunPool(writer._tempstorage, writer.newsegment, limitmb=LIMIT_MB)
    else:
        writer.pool = PostingPool(writer._tempstorage, writer.newsegment, limitmb=LIMIT_MB)
    for document in docs:
        writer.add_document(**SearchIndex._fields(document))
    writer.commit()
    return time.perf_counter() - started


def read_all(folder: Path, *, public: bool) -> tuple[float, int]:
    """Seconds to read the postings of every term held by more than 64 documents, and how
    many postings that was."""
    index = whoosh_index.open_dir(str(folder))
    with index.searcher() as searcher:
        reader = searcher.reader()
        leaf = reader if not hasattr(reader, "readers") else reader.readers[0]
        terms = [
            (field, text.decode("utf-8") if isinstance(text, bytes) else text)
            for field in ("tokens", "sounds")
            for text, info in leaf.iter_field(field)
            if info.doc_frequency() > 64
        ]
        started = time.perf_counter()
        total = 0
        for field, text in terms:
            if public:
                found = np.fromiter(leaf.postings(field, text).all_ids(), dtype=np.int32)
            else:
                found = read_postings(leaf, field, text)
            total += len(found)
        return time.perf_counter() - started, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = documents(args.size)
    print(f"{args.size:,} synthetic agencies; best of {args.repeat} runs\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "index"
        variants = [
            ("Whoosh's writer (public API)", False, False),
            ("FastCodec only", True, False),
            ("RunPool only", False, True),
            ("FastCodec + RunPool (the registry)", True, True),
        ]
        print("| writing the index | seconds | public / this |")
        print("|---|---|---|")
        public = None
        for label, codec, pool in variants:
            best = min(build(folder, docs, codec=codec, pool=pool) for _ in range(args.repeat))
            public = public or best
            print(f"| {label} | {best:.1f} | {public / best:.2f} |")
        # The postings are read from the index the registry's writer made.
        print("\n| reading common terms' postings | ms | public / this |")
        print("|---|---|---|")
        slow, total = min(read_all(folder, public=True) for _ in range(args.repeat))
        fast, _ = min(read_all(folder, public=False) for _ in range(args.repeat))
        print(f"| matcher.all_ids() (public API), {total:,} postings | {slow * 1000:.0f} | 1.00 |")
        print(f"| read_postings (the registry) | {fast * 1000:.0f} | {slow / fast:.2f} |")


if __name__ == "__main__":
    main()
