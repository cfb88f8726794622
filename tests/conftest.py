"""Fixtures: a fresh app on a real SQLite file and a real Whoosh index in a temporary folder."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from registry import create_app, schema
from registry.models import Agency, AgencyContact, AgencyName, Authority, Licence, Sanction
from registry.search import get_index
from registry.search.indexer import drain
from registry.search.matching import licence_key, name_key


@pytest.fixture
def app(tmp_path, monkeypatch):
    for name in ("REGISTRY_DATABASE_URL", "REGISTRY_INDEX_DIR", "REGISTRY_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({
        "TESTING": True, "INSTANCE_PATH": tmp_path / "instance",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'test.sqlite3'}",
        "INDEX_DIR": str(tmp_path / "instance" / "index"), "INDEXER_THREAD": False,
    })
    schema.upgrade(app.extensions["registry.engine"])
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
            return drain(app.extensions["registry.engine"], get_index())
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

    def make(name: str, *, country: str = "MX", kind: str = "agency", aliases=(), former=(),
             licence: tuple | None = None, phones=(), emails=(), websites=(),
             sanctions=()) -> Agency:
        if country not in authorities:
            authorities[country] = make_authority(f"Ministry of {country}", country)
        authority = authorities[country]
        agency = Agency(name=name, name_key=name_key(name), country=country, kind=kind)
        agency.names = [AgencyName(name=n, type="alias") for n in aliases] + [
            AgencyName(name=n, type="former") for n in former]
        agency.contacts = ([AgencyContact(type="phone", value=p) for p in phones]
                           + [AgencyContact(type="email", value=e) for e in emails]
                           + [AgencyContact(type="website", value=w) for w in websites])
        if licence:
            number, status, until = licence
            agency.licences = [Licence(number=number, number_key=licence_key(number),
                                       country=country, status=status, authority=authority,
                                       valid_from=date(2020, 1, 1), valid_until=until)]
        agency.sanctions = [Sanction(authority=authority, **s) for s in sanctions]
        session.add(agency)
        session.commit()
        return agency
    return make
