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
        agency.licences = [Licence(number="MX-1", number_key="MX1", country="MX",
                                   valid_until=date(2030, 1, 1))]
        session.add(agency)
        session.commit()
        stored = session.exec(select(Agency)).one()
        assert stored.licences[0].valid_until == date(2030, 1, 1)
        assert stored.updated_at.tzinfo is not None
        assert [r.agency_id for r in session.exec(select(IndexOutbox)).all()] == [stored.id]


def test_audit_chain_does_not_fork_under_concurrent_writers(pg_engine):
    import threading

    from registry.audit.chain import append, verify
    schema.upgrade(pg_engine)

    def writer():
        for _ in range(10):
            with Session(pg_engine) as session:
                append(session, actor="a", actor_id=None, action="x", entity="agency",
                       entity_id=1, agency_id=1, before={}, after={"n": 1})
                session.commit()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(pg_engine) as session:
        assert verify(session) == (40, [])
