"""Fixtures: a fresh app on a real SQLite file and a real Whoosh index in a temporary folder,
and, when REGISTRY_TEST_POSTGRES_URL names a server, the same app on PostgreSQL with the
PostgreSQL search backend (a schema of its own per test, dropped afterwards).

Every test taking `app` runs on both; `@pytest.mark.whoosh_only` marks tests of the Whoosh
folder itself (its lock, its files).
"""

from __future__ import annotations

import queue
import shutil
import socket
import uuid
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlmodel import Session
from support import PASSWORD, POSTGRES_URL, schema_url

from registry import create_app, schema
from registry.accounts.service import create_user
from registry.models import (
    Agency,
    AgencyContact,
    AgencyName,
    Authority,
    CategoryItem,
    HelpContact,
    Licence,
    MigrationCategory,
    RedFlag,
    Referral,
    Sanction,
    SanctionEvent,
)
from registry.search import get_index
from registry.search.matching import licence_key, name_key

BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def pytest_configure(config):
    config.addinivalue_line("markers", "whoosh_only: a test of the Whoosh index folder itself")


@pytest.fixture(scope="session")
def postgres_admin():
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:  # once per database, shared by the test schemas
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(request, tmp_path):
    """A new empty database: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        (tmp_path / "instance").mkdir(exist_ok=True)
        yield f"sqlite:///{tmp_path / 'instance' / 'test.sqlite3'}"
        return
    admin = request.getfixturevalue("postgres_admin")
    name = "t_" + uuid.uuid4().hex[:12]
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    yield schema_url(name)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


def pytest_collection_modifyitems(config, items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        if (
            item.get_closest_marker("whoosh_only")
            and callspec
            and callspec.params.get("database_url") == "postgres"
        ):
            item.add_marker(pytest.mark.skip(reason="tests the Whoosh index folder"))


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Accounts in tests are hashed with scrypt at a lower cost (n=2**10): the suite creates
    hundreds. tests/test_accounts.py checks the production cost."""
    from registry.accounts import service

    monkeypatch.setattr(service, "password_method", "scrypt:1024:8:1")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite database at the newest revision, made once: each test's app starts from a copy
    (the migrations themselves are tested on empty databases in tests/test_schema.py)."""
    path = tmp_path_factory.mktemp("template") / "registry.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres_admin):
    """A PostgreSQL database at the newest revision, made once: each test's app gets a new
    database copied from it (CREATE DATABASE ... TEMPLATE), dropped afterwards."""
    name = "tpl_" + uuid.uuid4().hex[:12]
    _autocommit(postgres_admin, f'CREATE DATABASE "{name}"')
    engine = create_engine(_database(name))
    with engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    schema.upgrade(engine)
    engine.dispose()
    yield name
    _autocommit(postgres_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database(name: str) -> str:
    """POSTGRES_URL naming another database of the same server."""
    return str(make_url(POSTGRES_URL).set(database=name))


def _autocommit(engine, statement: str) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


@pytest.fixture
def migrated_url(request, database_url):
    """The test's database, already at the newest revision (a copy of one migrated once)."""
    if database_url.startswith("sqlite:///"):
        target = Path(database_url.removeprefix("sqlite:///"))
        if not target.exists():
            shutil.copyfile(request.getfixturevalue("migrated_sqlite"), target)
        yield database_url
        return
    admin, template = (
        request.getfixturevalue("postgres_admin"),
        request.getfixturevalue("migrated_postgres"),
    )
    name = "t_" + uuid.uuid4().hex[:12]
    _autocommit(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _database(name)
    _autocommit(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def app(tmp_path, monkeypatch, migrated_url):
    database_url = migrated_url
    for name in (
        "REGISTRY_DATABASE_URL",
        "REGISTRY_INDEX_DIR",
        "REGISTRY_SECRET_KEY",
        "REGISTRY_SEARCH_BACKEND",
    ):
        monkeypatch.delenv(name, raising=False)
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path / "instance",
            "DATABASE_URL": database_url,
            "INDEX_DIR": str(tmp_path / "instance" / "index"),
            "INDEXER_THREAD": False,
            # lookups are counted, and written when a test says (tests/test_statistics.py)
            "STATISTICS_FLUSH_SECONDS": 10**9,
        }
    )
    schema.upgrade(app.extensions["registry.engine"])
    if app.extensions["registry.index"].stale:  # as init-db does: a new PostgreSQL index
        app.extensions["registry.index"].rebuild()
    yield app
    app.extensions["registry.index"].close()
    app.extensions["registry.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    with Session(app.extensions["registry.engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def index_now(app):
    """Drain the outbox into the index, as the background indexer would."""

    def run() -> int:
        with app.app_context():
            return get_index().drain()

    return run


@pytest.fixture
def make_authority(session):
    def make(name: str = "Test Labour Ministry", country: str = "MX") -> Authority:
        authority = Authority(name=name, country=country)
        session.add(authority)
        session.commit()
        return authority

    return make


@pytest.fixture
def make_agency(session, make_authority):
    """Create and commit an agency; `licence=(number, status, valid_until)` adds a licence."""
    authorities: dict[str, Authority] = {}

    def make(
        name: str,
        *,
        country: str = "MX",
        kind: str = "agency",
        aliases=(),
        former=(),
        licence: tuple | None = None,
        phones=(),
        emails=(),
        websites=(),
        sanctions=(),
    ) -> Agency:
        if country not in authorities:
            authorities[country] = make_authority(f"Ministry of {country}", country)
        authority = authorities[country]
        agency = Agency(name=name, name_key=name_key(name), country=country, kind=kind)
        agency.names = [AgencyName(name=n, type="alias") for n in aliases] + [
            AgencyName(name=n, type="former") for n in former
        ]
        agency.contacts = (
            [AgencyContact(type="phone", value=p) for p in phones]
            + [AgencyContact(type="email", value=e) for e in emails]
            + [AgencyContact(type="website", value=w) for w in websites]
        )
        if licence:
            number, status, until = licence
            agency.licences = [
                Licence(
                    number=number,
                    number_key=licence_key(number),
                    country=country,
                    status=status,
                    authority=authority,
                    valid_from=date(2020, 1, 1),
                    valid_until=until,
                )
            ]
        agency.sanctions = [Sanction(authority=authority, **s) for s in sanctions]
        session.add(agency)
        session.commit()
        return agency

    return make


def _staff(session, mx, gt, *extra: str) -> dict:
    """The accounts both worlds share (a regulator of MX and one of GT, an NGO, an
    administrator), and those named in `extra`: "regulator_2" (a second of MX), "other_ngo"."""
    users = {
        "regulator": create_user(
            session,
            email="mx1@gov.example",
            role="regulator",
            password=PASSWORD,
            authority_id=mx.id,
        ),
        "other_regulator": create_user(
            session, email="gt@gov.example", role="regulator", password=PASSWORD, authority_id=gt.id
        ),
        "ngo": create_user(
            session,
            email="ngo@ngo.example",
            role="ngo",
            password=PASSWORD,
            organisation="Casa del Migrante",
        ),
        "admin": create_user(session, email="admin@example.org", role="admin", password=PASSWORD),
    }
    if "regulator_2" in extra:
        users["regulator_2"] = create_user(
            session,
            email="mx2@gov.example",
            role="regulator",
            password=PASSWORD,
            authority_id=mx.id,
        )
    if "other_ngo" in extra:
        users["other_ngo"] = create_user(
            session, email="b@ngo.example", role="ngo", password=PASSWORD, organisation="Otra ONG"
        )
    return users


# The regulators' world the role x URL matrix runs in (tests/support.py): two MX regulators, a GT
# regulator, an NGO and an administrator; a licensed MX agency with a revocation awaiting its
# second regulator, a red flag (referred by Mexico to Guatemala, awaiting its answer), a warning,
# a future ban with a lifting awaiting confirmation, a reported name, a second registered
# agency, and Canada's labour inspectorate (no account).
@pytest.fixture
def world(session, make_authority, make_agency, index_now):
    mx, gt = make_authority("Secretaría MX", "MX"), make_authority("Ministerio GT", "GT")
    users = _staff(session, mx, gt, "regulator_2")
    session.commit()
    agency = make_agency(
        "Agencia Sierra Madre", country="MX", licence=("MX-77", "active", date(2099, 1, 1))
    )
    licence = agency.licences[0]
    licence.authority_id = mx.id
    session.add(licence)
    pending = Sanction(
        agency_id=agency.id,
        authority_id=mx.id,
        type="revocation",
        decision_ref="REV-1",
        starts_on=date(2026, 1, 1),
        summary="Fraud",
        status="awaiting_confirmation",
        proposed_by_id=users["regulator_2"].id,
        licence_id=licence.id,
    )
    session.add(pending)
    flag = RedFlag(agency_id=agency.id, category="other", description="Asked for a visa fee")
    session.add(flag)
    warning = Sanction(
        agency_id=agency.id,
        authority_id=mx.id,
        type="warning",
        decision_ref="W-1",
        starts_on=date(2026, 1, 1),
        summary="Late returns",
    )
    future_ban = Sanction(
        agency_id=agency.id,
        authority_id=mx.id,
        type="ban",
        decision_ref="BAN-1",
        starts_on=date(2098, 1, 1),
        summary="Fraud",
        proposed_by_id=users["regulator"].id,
        confirmed_by_id=users["regulator_2"].id,
    )
    session.add_all([warning, future_ban])
    session.flush()
    lifting = SanctionEvent(
        sanction_id=future_ban.id,
        kind="lifted",
        on=date(2098, 2, 1),
        reason="Repaid the workers",
        status="awaiting_confirmation",
        proposed_by_id=users["regulator_2"].id,
    )
    session.add(lifting)
    referral = Referral(
        red_flag_id=flag.id,
        from_authority_id=mx.id,
        to_authority_id=gt.id,
        note="The agency places Guatemalans: can you check?",
        referred_by_id=users["regulator"].id,
    )
    inspectorate = Authority(name="Labour Inspectorate CA", country="CA", kind="inspectorate")
    # Mexico's entry requirements (kept by Mexico's regulators) and a place to get help
    category = MigrationCategory(country="MX", code="TVTF", name="Tarjeta de trabajo fronterizo")
    category.items = [
        CategoryItem(
            kind="cost",
            purpose="recruitment",
            name="Reclutamiento",
            payer="employer",
            source_name="Ley de Migración",
            effective_on=date(2025, 1, 1),
        )
    ]
    contact = HelpContact(
        kind="ngo", name="Casa del Migrante", country="GT", phone="+502 2222 0000"
    )
    session.add_all([referral, inspectorate, category, contact])
    reported = make_agency("Sierra Madre Talentos", country="MX")
    reported.listing = "reported"
    second = make_agency("Agencia Costa Verde", country="MX")
    session.add(reported)
    session.commit()
    index_now()
    return {
        "users": users,
        "agency": agency,
        "licence": licence,
        "pending": pending,
        "flag": flag,
        "warning": warning,
        "lifting": lifting,
        "reported": reported,
        "second": second,
        "referral": referral,
        "inspectorate": inspectorate,
        "category": category,
        "contact": contact,
    }


@pytest.fixture
def reports_world(session, make_authority, make_agency, index_now):
    """The world reports are sent and followed in (test_reports.py, test_report_workflow.py):
    regulators of MX and GT, two NGOs, an administrator, and a licensed MX agency."""
    mx, gt = make_authority("Secretaría MX", "MX"), make_authority("Ministerio GT", "GT")
    users = _staff(session, mx, gt, "other_ngo")
    session.commit()
    agency = make_agency(
        "Agencia Sierra Madre", country="MX", licence=("MX-77", "active", date(2099, 1, 1))
    )
    index_now()
    return {"users": users, "agency": agency}


# A real SMTP server for the tests that send mail (test_password_reset.py, test_alerts.py).
class Inbox:
    """An SMTP server on a free local port that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: queue.Queue = queue.Queue()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        self.received.put(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"

    def next(self, timeout=15):
        return self.received.get(timeout=timeout)

    def empty_after_sending(self, app) -> bool:
        for thread in app.extensions.get("test.mail_threads", []):
            thread.join(timeout=30)
        return self.received.empty()


@pytest.fixture
def inbox(app, monkeypatch):
    pytest.importorskip("aiosmtpd")
    server = Inbox()
    server.controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_SENDER="registro@example.org"
    )
    import registry.mail

    started = app.extensions.setdefault("test.mail_threads", [])
    real_kick = registry.mail.kick

    def tracked_kick(*args):
        thread = real_kick(*args)
        if thread is not None:
            started.append(thread)
        return thread

    monkeypatch.setattr(registry.mail, "kick", tracked_kick)
    yield server
    # Every sending thread ends before the app's engine is disposed (one still holding a
    # connection would leave it open).
    for thread in started:
        thread.join(timeout=30)
    server.controller.stop()
