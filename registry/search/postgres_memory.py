"""Whether PostgreSQL's own memory holds the search tables, and what to set when it does not.

A lookup reads the postings of its words and then the documents holding them, a few hundred to a
few thousand pages at a million agencies, spread across the tables. What PostgreSQL does not
hold in shared_buffers it asks the operating system for, and a server's page cache is reclaimed
under it (by other programs, or by a memory manager that pages out whatever was not read for a
minute, as on this project's benchmark machines): a first-time lookup then waits for the disk,
and its time grows with the registry instead of staying flat. PostgreSQL's default
shared_buffers (128 MB) holds the search tables of about 100,000 agencies (README: PostgreSQL's
memory).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from registry.db import driver_rows

MB = 1024 * 1024
# Room beside the search tables for what a lookup reads of the registry's own tables (the
# agencies found, their licences and sanctions) and for the writers.
HEADROOM = 1.5

_SIZES = (
    "SELECT (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class AS c"
    " WHERE c.oid IN (to_regclass('search_document'), to_regclass('search_word'),"
    " to_regclass('search_term')))::bigint,"
    " (SELECT setting::bigint * current_setting('block_size')::bigint FROM pg_settings"
    " WHERE name = 'shared_buffers')"
)


def sizes(connection: Connection) -> tuple[int, int]:
    """(bytes the search tables and their indexes take, bytes of shared_buffers)."""
    [(tables, buffers)] = driver_rows(connection, _SIZES)
    return int(tables), int(buffers)


def advice(tables: int, buffers: int) -> str | None:
    """What to tell the operator when shared_buffers cannot hold the search tables, or None."""
    if tables <= buffers:
        return None
    wanted = -(-int(tables * HEADROOM) // (256 * MB)) * 256  # MB, rounded up to 256 MB
    return (
        f"The search tables take {_size(tables)}, and PostgreSQL's shared_buffers holds "
        f"{_size(buffers)}: lookups will read from disk whenever the server's page cache lets "
        f"go of them, and slow down as the registry grows. Set shared_buffers to at least "
        f"{_size(wanted * MB)} and restart PostgreSQL (README: PostgreSQL's memory)."
    )


def _size(count: int) -> str:
    if count >= 1024 * MB:
        return f"{count / (1024 * MB):.1f} GB"
    return f"{max(1, round(count / MB))} MB"
