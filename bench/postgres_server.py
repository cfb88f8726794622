"""A PostgreSQL server of the benchmark's own, with the memory a deployment is told to give it
(README: PostgreSQL's memory), for `load.py --postgres-memory 2GB`.

The shared server the tests use keeps PostgreSQL's default shared_buffers (128 MB), which holds
the search tables of about 100,000 agencies: at a million, its lookups read from the page cache,
which this project's machines reclaim after a minute unread (bench/README.md). This one is
initialised in a temporary folder from the same installation (Debian's postgresql package),
listens on 127.0.0.1 only (load.py gives it a free port), trusts local connections, and is
removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _program(name: str) -> str:
    found = shutil.which(name) or next(iter(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")), None)
    if not found:
        raise SystemExit(f"{name} not found: install Debian's postgresql package")
    return found


@contextmanager
def private_server(shared_buffers: str, port: int) -> Iterator[str]:
    """A new PostgreSQL server with `shared_buffers` (such as "2GB") listening on `port` of
    127.0.0.1; yields its URL."""
    folder = Path(tempfile.mkdtemp(prefix="bench-postgres-"))
    data = folder / "data"
    as_owner: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as its own user
        shutil.chown(folder, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    run = {"check": True, "stdout": subprocess.DEVNULL}
    try:
        subprocess.run(
            [*as_owner, _program("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"],
            **run,
        )
        settings = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
        settings += f" -c shared_buffers={shared_buffers}"
        subprocess.run(
            [*as_owner, _program("pg_ctl"), "-D", str(data), "-o", settings, "-w", "start"],
            **run,
        )
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                [*as_owner, _program("pg_ctl"), "-D", str(data), "-m", "fast", "stop"], **run
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


PREWARM = (
    "SELECT coalesce(sum(pg_prewarm(c.oid)), 0)::bigint * current_setting('block_size')::bigint"
    " FROM (SELECT c.oid FROM pg_class AS c"
    " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i')"
    " ORDER BY c.relname NOT LIKE '%search%', c.relname) AS c"
)


def prewarm(engine) -> int:
    """Vacuum the bulk-loaded tables (the whole database: the server is the benchmark's own),
    as autovacuum does within minutes of a load (here, not during the measurements), and read
    the registry's tables and indexes into shared_buffers, the search tables first, as a server
    that has been answering lookups for a while holds them (and as `pg_prewarm`'s autoprewarm
    restores them after a restart: README, PostgreSQL's memory); the bytes read."""
    from sqlalchemy import text

    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE)"))
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm SCHEMA public"))
        return connection.execute(text(PREWARM)).scalar()
