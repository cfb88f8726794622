"""The migrations and the records on PostgreSQL, when REGISTRY_TEST_POSTGRES_URL names a server.

Each test works in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from registry import schema
from registry.models import Agency, IndexOutbox, Licence
from registry.search import outbox

URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="REGISTRY_TEST_POSTGRES_URL is not set")


@pytest.fixture
def pg_engine(postgres_admin):
    name = "t_" + uuid.uuid4().hex[:12]
    admin = postgres_admin
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    engine = create_engine(URL, connect_args={"options": f"-csearch_path={name},public"})
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def test_migrations_run_and_records_round_trip(pg_engine):
    schema.upgrade(pg_engine)
    schema.upgrade(pg_engine)  # idempotent
    outbox.register()
    with Session(pg_engine) as session:
        agency = Agency(name="Agencia Prueba", name_key="agencia prueba", country="MX")
        agency.licences = [
            Licence(number="MX-1", number_key="MX1", country="MX", valid_until=date(2030, 1, 1))
        ]
        session.add(agency)
        session.commit()
        stored = session.exec(select(Agency)).one()
        assert stored.licences[0].valid_until == date(2030, 1, 1)
        assert stored.updated_at.tzinfo is not None
        assert [r.agency_id for r in session.exec(select(IndexOutbox)).all()] == [stored.id]


def test_audit_chain_does_not_fork_under_concurrent_writers(pg_engine):
    import threading

    from registry.audit.chain import append, use_key, verify

    schema.upgrade(pg_engine)
    use_key(pg_engine, "a key kept outside the database")

    def writer():
        for _ in range(10):
            with Session(pg_engine) as session:
                append(
                    session,
                    actor="a",
                    actor_id=None,
                    action="x",
                    entity="agency",
                    entity_id=1,
                    agency_id=1,
                    before={},
                    after={"n": 1},
                )
                session.commit()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(pg_engine) as session:
        assert verify(session) == (40, [])


def test_a_connection_dropped_while_idle_is_replaced_before_use(postgres_admin):
    """A database restart or a firewall's idle timeout drops pooled connections: one that
    in the pool is checked before it is handed out (pool_pre_ping), and replaced."""
    from registry.db import make_engine

    engine = make_engine(URL)
    try:
        with engine.connect() as connection:
            first = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with postgres_admin.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar() != first
    finally:
        engine.dispose()


# -- the PostgreSQL search backend, shared by app servers ---------------------------------------
@pytest.fixture
def two_servers(tmp_path, postgres_admin):
    """Two app instances (two app servers) on one PostgreSQL schema, no index folder shared."""
    from support import schema_url

    from registry import create_app

    name = "t_" + uuid.uuid4().hex[:12]
    with postgres_admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    url = schema_url(name)
    apps = [
        create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": tmp_path / f"node{i}",
                "DATABASE_URL": url,
                "INDEX_DIR": str(tmp_path / f"node{i}" / "index"),
                "INDEXER_THREAD": False,
            }
        )
        for i in (1, 2)
    ]
    schema.upgrade(apps[0].extensions["registry.engine"])
    yield apps
    for app in apps:
        app.extensions["registry.index"].close()
        app.extensions["registry.engine"].dispose()
    with postgres_admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def _add(app, name: str, number: str) -> int:
    from registry.search.matching import licence_key, name_key

    with Session(app.extensions["registry.engine"]) as session:
        agency = Agency(name=name, name_key=name_key(name), country="MX")
        agency.licences = [
            Licence(
                number=number,
                number_key=licence_key(number),
                country="MX",
                valid_until=date(2030, 1, 1),
            )
        ]
        session.add(agency)
        session.commit()
        return agency.id


def _found(app, text_: str) -> list[str]:
    from registry.clock import today
    from registry.search.service import search

    with app.test_request_context(), Session(app.extensions["registry.engine"]) as session:
        result = search(
            connection=session.connection(),
            index=app.extensions["registry.index"],
            text=text_,
            on=today(),
        )
        return [h.agency.name for h in result.hits]


def test_a_change_drained_on_one_server_is_found_on_the_other(two_servers):
    first, second = two_servers
    assert first.config["SEARCH_BACKEND"] == second.config["SEARCH_BACKEND"] == "postgres"
    _add(first, "Reclutadora Horizonte Azul", "MX-RH-1")
    assert _found(second, "Horizonte Azul") == []  # committed, not yet drained
    assert first.extensions["registry.index"].drain() == 1
    assert _found(second, "Reclutadora Horisonte Asul") == ["Reclutadora Horizonte Azul"]
    assert _found(second, "MX-RH-1") == ["Reclutadora Horizonte Azul"]
    # a typo that is not a sound-alike: found from the words the second server read again
    # (it held the vocabulary of before the drain)
    assert _found(second, "Horizpnte") == ["Reclutadora Horizonte Azul"]


def test_a_lookup_whose_connections_were_dropped_is_answered(two_servers, postgres_admin):
    """Lookup connections are not checked before use (a round trip less): after a database
    restart drops them all, the next lookup is still answered, on new connections."""
    first, _second = two_servers
    _add(first, "Reclutadora Horizonte Azul", "MX-RH-1")
    first.extensions["registry.index"].drain()
    client = first.test_client()
    assert client.get("/api/v1/search?q=MX-RH-1").get_json()["outcome"] == "match"
    lookups = first.extensions["registry.lookups"]
    held = [lookups.connect() for _ in range(3)]  # every connection the pool keeps
    pids = [c.exec_driver_sql("SELECT pg_backend_pid()").scalar() for c in held]
    for connection in held:
        connection.close()
    with postgres_admin.connect() as admin:
        for pid in pids:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    for text_ in ("Reclutadora Horizonte Azul", "Reclutadora Horisonte Asul"):
        answer = client.get("/api/v1/search", query_string={"q": text_})
        assert answer.status_code == 200
        assert [h["name"] for h in answer.get_json()["results"]] == ["Reclutadora Horizonte Azul"]


def test_typos_are_found_through_the_trigram_index_when_the_vocabulary_is_too_large(two_servers):
    from registry.search.postgres_index import _TOO_MANY

    first, second = two_servers
    _add(first, "Reclutadora Horizonte Azul", "MX-RH-1")
    _add(first, "Agencia Horizontal Verde", "MX-AH-2")
    first.extensions["registry.index"].drain()
    second.extensions["registry.index"].MEMORY_WORDS = 3  # fewer than the index holds
    for app in two_servers:
        assert _found(app, "Horizpnte") == ["Reclutadora Horizonte Azul"]
        assert _found(app, "Horizpntal") == ["Agencia Horizontal Verde"]
    assert second.extensions["registry.index"]._words is _TOO_MANY
    assert first.extensions["registry.index"]._words is not _TOO_MANY


def test_concurrent_drains_lose_nothing_and_keep_the_term_counts_exact(two_servers):
    """Four threads on two servers drain while agencies are added and renamed: every change is
    indexed once, and the term counts equal those of a rebuild from the database."""
    import threading
    import time

    from registry.search.indexer import pending
    from registry.search.postgres_index import search_term, search_word

    first, second = two_servers
    stop = threading.Event()
    errors = []

    def drainer(app):
        while not stop.is_set():
            try:
                app.extensions["registry.index"].drain(batch=7)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=drainer, args=(app,)) for app in two_servers * 2]
    for thread in threads:
        thread.start()
    ids = [
        _add(first if i % 2 else second, f"Agencia Prueba Numero {i} Colibri", f"MX-{i}")
        for i in range(60)
    ]
    with Session(first.extensions["registry.engine"]) as session:
        for agency_id in ids[::3]:
            agency = session.get(Agency, agency_id)
            agency.name = agency.name.replace("Colibri", "Quetzal")
            session.commit()
    deadline = time.monotonic() + 30
    while pending(first.extensions["registry.engine"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = first.extensions["registry.engine"]

    def counts(nonzero: bool) -> dict:
        with engine.connect() as connection:
            words = connection.execute(select(search_word.c.word, search_word.c.frequency))
            terms = connection.execute(
                select(search_term.c.field, search_term.c.term, search_term.c.frequency)
            )
            found = {("w", w): n for w, n in words} | {(f, t): n for f, t, n in terms}
        return {k: n for k, n in found.items() if n or not nonzero}

    drained = counts(nonzero=True)
    assert drained[("w", "quetzal")] == 20 and drained[("w", "colibri")] == 40
    assert first.extensions["registry.index"].rebuild() == 60
    assert drained == counts(nonzero=False)
    assert len(_found(second, "Agencia Prueba Numero 33 Quetzal")) >= 1


def test_search_backend_follows_the_database_unless_told(tmp_path, monkeypatch, postgres_admin):
    from registry import create_app

    monkeypatch.setenv("REGISTRY_SEARCH_BACKEND", "whoosh")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path,
            "DATABASE_URL": URL,
            "INDEX_DIR": str(tmp_path / "index"),
            "INDEXER_THREAD": False,
        }
    )
    assert app.extensions["registry.index"].name == "whoosh"
    app.extensions["registry.engine"].dispose()
    monkeypatch.delenv("REGISTRY_SEARCH_BACKEND")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path,
            "DATABASE_URL": URL,
            "INDEX_DIR": str(tmp_path / "index"),
            "INDEXER_THREAD": False,
        }
    )
    assert app.extensions["registry.index"].name == "postgres"
    app.extensions["registry.index"].close()
    app.extensions["registry.engine"].dispose()


def test_agencies_holding_every_common_word_are_the_same_however_found(two_servers, monkeypatch):
    """When every word typed is common, the oldest agencies holding them all are found by
    walking agencies oldest first or through the GIN index, as the numbers suggest: either way
    the same agencies."""
    from registry.search import postgres_index
    from registry.search.matching import parse_query

    first, _second = two_servers
    monkeypatch.setattr(postgres_index, "COMMON", 1)
    for i in range(6):
        _add(first, f"Servicios Globales {'Quetzal' if i % 2 else 'Tlaloc'} {i}", f"MX-S-{i}")
    _add(first, "Servicios Integrales Maya", "MX-M-1")
    index = first.extensions["registry.index"]
    index.drain()
    found = {}
    for walked in (True, False):
        monkeypatch.setattr(index, "_by_age", lambda groups, limit, walked=walked: walked)
        found[walked] = [
            c.agency_id
            for c in index.candidates(parse_query("Servicios Globales", None), limit=2)[1]
        ]
    assert found[True] == found[False] and len(found[True]) == 2
    assert _found(first, "Servicios Globales Quetzal")[0].startswith("Servicios Globales")


def test_operators_are_told_the_search_tables_size_against_shared_buffers(two_servers):
    """`reindex` (and `init-db`, imports) compare the search tables with PostgreSQL's own memory:
    the sizes are the server's, they grow with the registry, and a registry they fit in hears
    nothing (the advice itself: tests/test_ops.py)."""
    from registry.search import postgres_memory

    app = two_servers[0]
    engine = app.extensions["registry.engine"]
    with engine.connect() as connection:
        before, buffers = postgres_memory.sizes(connection)
        setting = connection.execute(
            text("SELECT pg_size_bytes(current_setting('shared_buffers'))")
        ).scalar()
    assert buffers == setting
    for i in range(300):
        _add(app, f"Agencia Numero {i} De Prueba", f"MX-SZ-{i}")
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert "Indexed 300 agencies." in result.output, (result.output, result.exception)
    assert "shared_buffers" not in result.output
    with engine.connect() as connection:
        after, _ = postgres_memory.sizes(connection)
        document = connection.execute(
            text("SELECT pg_total_relation_size('search_document')")
        ).scalar()
    assert after > before and after > document > 0
