"""The database engine and the request-scoped sessions.

One way to the database per purpose:

- A request or command that writes: `get_session()`, one session on `g`, committed once by the
  view; the teardown rolls back whatever was not committed.
- A page or an API answer that only reads: `get_reader()`, a session whose statements each run
  on their own, outside any transaction (autocommit), and that refuses to write.
- A lookup (Core statements only): `get_lookup_connection()`, the reader's connection without a
  session; `driver_rows()` runs its few hot statements on the driver's cursor.

Why a reader: on PostgreSQL a transaction costs two round trips of its own (BEGIN, ROLLBACK)
beside the two or three statements of a lookup, and psycopg forgets the statements it prepared
whenever a transaction rolls back. At the default isolation (READ COMMITTED) each statement sees
the database as committed when it starts, inside a transaction or not, so a reader sees exactly
what a transaction would have shown.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

# SQLite databases are read through a memory map of up to this size (see make_engine); a
# million agencies take a quarter of it.
SQLITE_MMAP_BYTES = 2 << 30


def make_engine(url: str | URL, *, ping: bool = True, **options) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout for several processes;
    a server database gets each pooled connection checked before use (SQLAlchemy's
    pool_pre_ping: a database restart or a firewall's idle timeout costs no request).
    `ping=False`: no check, a round trip less a checkout, for reads that are asked again when
    their connection turns out dropped (see is_dropped; the lookups). `options`: more of
    create_engine's."""
    if make_url(url).get_backend_name() == "sqlite":
        connect_args = {
            "timeout": 30,
            "check_same_thread": False,
            **options.pop("connect_args", {}),
        }
        engine = create_engine(url, connect_args=connect_args, **options)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Pages read straight from the operating system's cache, shared by every worker,
            # rather than copied into each connection's own (2 MB): reading the records of
            # agencies no worker has read cost 10 to 20% less at a million agencies.
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=ping, **options)


def get_engine() -> Engine:
    return current_app.extensions["registry.engine"]


def get_session() -> Session:
    """The session of the current request (or CLI command), created on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def get_reader() -> Session:
    """The read-only session of the current request, created on first use: each statement on
    its own, outside a transaction; a write (flush) raises."""
    if "db_reader" not in g:
        g.db_reader = Session(current_app.extensions["registry.reader"])
        event.listen(g.db_reader, "before_flush", _refuse_write)
    return g.db_reader


def get_lookup_connection() -> Connection:
    """The lookup's connection of the current request, without an ORM session
    (registry.search.service reads through Core alone): creating and closing a session costs
    several times what the connection does. From the search backend's pool of lookup
    connections where it has one (PostgreSQL: autocommit, not checked before use), else the
    reader's."""
    if "db_lookup" not in g:
        engine = (
            current_app.extensions.get("registry.lookups")
            or current_app.extensions["registry.reader"]
        )
        g.db_lookup = engine.connect()
    return g.db_lookup


def forget_lookup_connection() -> None:
    """Drop the request's lookup connection (one found dropped), so the next use takes another."""
    connection = g.pop("db_lookup", None)
    if connection is not None:
        connection.close()


def is_dropped(error: BaseException) -> bool:
    """A statement failed because its connection was dropped (a database restart, a firewall's
    idle timeout): SQLAlchemy has discarded the pool's connections, and the statement asked
    again on a new one can succeed. Only for reads: a write may have been committed."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


def driver_rows(connection: Connection, sql: str, parameters=None) -> list[tuple]:
    """The rows of a statement run on the driver's own cursor, in the driver's paramstyle: for
    the lookups' few statements, whose SQLAlchemy execution (its cache of compiled forms, a
    Row a row, type processors) cost more than the database's work."""
    cursor = connection.connection.cursor()
    try:
        if parameters is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


def _refuse_write(_session, _context, _instances) -> None:
    raise RuntimeError("the request's reader does not write: use get_session()")


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
    reader = g.pop("db_reader", None)
    if reader is not None:
        reader.close()
    lookup = g.pop("db_lookup", None)
    if lookup is not None:
        lookup.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["registry.engine"] = engine
    # The same pool; connections handed out through it are set to autocommit until returned.
    app.extensions["registry.reader"] = engine.execution_options(isolation_level="AUTOCOMMIT")
    app.teardown_appcontext(_close_session)
