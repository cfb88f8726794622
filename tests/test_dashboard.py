"""A regulator's working day starts on the dashboard: its authority's agencies with filters, the
licences expiring soon, red flags by age, and what waits for a second regulator."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select
from support import EN, PASSWORD, log_in

from registry.accounts.service import create_user
from registry.clock import today
from registry.models import Agency, Licence, RedFlag, Sanction, SanctionEvent, utcnow
from registry.search.matching import name_key


@pytest.fixture
def world(session, make_authority):
    mx, gt = make_authority("Secretaría MX", "MX"), make_authority("Ministerio GT", "GT")
    one = create_user(
        session, email="mx1@gov.example", role="regulator", password=PASSWORD, authority_id=mx.id
    )
    two = create_user(
        session, email="mx2@gov.example", role="regulator", password=PASSWORD, authority_id=mx.id
    )
    session.commit()
    now = today()

    def agency(name, country="MX", listing="registry", licence=None, authority=mx):
        made = Agency(name=name, name_key=name_key(name), country=country, listing=listing)
        session.add(made)
        session.flush()
        if licence:
            number, until = licence
            session.add(
                Licence(
                    agency_id=made.id,
                    authority_id=authority.id,
                    number=number,
                    number_key=number,
                    country=authority.country,
                    status="active",
                    valid_from=date(2020, 1, 1),
                    valid_until=until,
                )
            )
            session.flush()
        return made

    made = {
        "active": agency("Alfa Empleos", licence=("MX-1", now + timedelta(days=400))),
        "expiring": agency("Beta Talento", licence=("MX-2", now + timedelta(days=30))),
        "expired": agency("Gamma Personal", licence=("MX-3", now - timedelta(days=3))),
        "revoked": agency("Delta Reclutas", licence=("MX-4", now + timedelta(days=400))),
        "suspended": agency("Épsilon Agrícola", licence=("MX-5", now + timedelta(days=20))),
        "unlicensed": agency("Zeta Sin Licencia"),
        "reported": agency("Eta Fantasma", listing="reported"),
        "gt_licensed_by_mx": agency(
            "Theta Guatemala", country="GT", licence=("MX-6", now + timedelta(days=400))
        ),
        "gt_other": agency(
            "Iota Guatemala",
            country="GT",
            licence=("GT-1", now + timedelta(days=400)),
            authority=gt,
        ),
    }
    revoked_licence = session.exec(select(Licence).where(Licence.number == "MX-4")).one()
    session.add(
        Sanction(
            agency_id=made["revoked"].id,
            authority_id=mx.id,
            type="revocation",
            licence_id=revoked_licence.id,
            decision_ref="REV-1",
            starts_on=now - timedelta(days=10),
            proposed_by_id=one.id,
            confirmed_by_id=two.id,
        )
    )
    session.add(
        Sanction(
            agency_id=made["suspended"].id,
            authority_id=mx.id,
            type="suspension",
            decision_ref="SUS-1",
            starts_on=now - timedelta(days=1),
            ends_on=now + timedelta(days=90),
        )
    )
    pending = Sanction(
        agency_id=made["active"].id,
        authority_id=mx.id,
        type="ban",
        decision_ref="BAN-PENDING",
        starts_on=now,
        status="awaiting_confirmation",
        proposed_by_id=two.id,
    )
    warning = Sanction(
        agency_id=made["active"].id,
        authority_id=mx.id,
        type="warning",
        decision_ref="W-9",
        starts_on=now - timedelta(days=5),
    )
    session.add_all([pending, warning])
    session.flush()
    session.add(
        SanctionEvent(
            sanction_id=warning.id,
            kind="lifted",
            on=now,
            reason="Paid back",
            status="awaiting_confirmation",
            proposed_by_id=two.id,
        )
    )
    session.add(
        RedFlag(
            agency_id=made["unlicensed"].id,
            category="other",
            description="new",
            created_at=utcnow() - timedelta(days=2),
        )
    )
    session.add(
        RedFlag(
            agency_id=made["reported"].id,
            category="other",
            description="old",
            created_at=utcnow() - timedelta(days=40),
        )
    )
    session.add(RedFlag(agency_id=made["gt_other"].id, category="other", description="GT's"))
    session.commit()
    return made


def page_of(client, query=""):
    log_in(client, "mx1@gov.example")
    response = client.get("/manage/" + query, headers=EN)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def listed(page: str) -> list[str]:
    return re.findall(r'<tr class="agency-row"><td><a href="[^"]+">([^<]+)</a>', page)


def section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"', 1)[1].split("<h2", 1)[0]


def test_the_agencies_are_its_countrys_and_those_it_licensed(client, world):
    names = listed(page_of(client))
    assert names == sorted(names)
    assert set(names) == {
        "Alfa Empleos",
        "Beta Talento",
        "Gamma Personal",
        "Delta Reclutas",
        "Épsilon Agrícola",
        "Zeta Sin Licencia",
        "Eta Fantasma",
        "Theta Guatemala",
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?licence=active", {"Alfa Empleos", "Beta Talento", "Theta Guatemala"}),
        ("?licence=expiring", {"Beta Talento"}),
        ("?licence=expired", {"Gamma Personal"}),
        ("?licence=revoked", {"Delta Reclutas"}),
        ("?licence=suspended", {"Épsilon Agrícola"}),
        ("?licence=none", {"Zeta Sin Licencia", "Eta Fantasma"}),
        ("?listing=reported", {"Eta Fantasma"}),
        ("?q=guatemala", {"Theta Guatemala"}),
        ("?q=GAMMA&licence=expired", {"Gamma Personal"}),
        ("?q=nothing+like+this", set()),
        ("?licence=bogus&listing=bogus&page=x", None),  # unknown values mean "any"
    ],
)
def test_the_filters_use_the_status_the_public_reads(client, world, query, expected):
    names = set(listed(page_of(client, query)))
    assert names == (expected if expected is not None else set(listed(page_of(client))))


def test_the_rows_show_the_licence_as_the_public_reads_it(client, world):
    page = page_of(client, "?q=delta")
    assert "MX-4: Revoked" in page
    assert "MX-5: Suspended" in page_of(client, "?q=psilon")


def test_many_agencies_come_a_page_at_a_time(client, session, world):
    for number in range(120):
        session.add(
            Agency(name=f"Omega {number:03d}", name_key=f"omega {number:03d}", country="MX")
        )
    session.commit()
    first = page_of(client, "?q=omega")
    assert "128 agencies" not in first and "120 agencies" in first
    assert len(listed(first)) == 50 and "Page 1 of 3" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = listed(page_of(client, "?q=omega&page=3"))
    assert last == [f"Omega {n:03d}" for n in range(100, 120)]


def test_expiring_licences_flags_by_age_and_what_awaits_confirmation(client, world):
    page = page_of(client)
    expiring = section(page, "expiring")
    assert "MX-2" in expiring and "Beta Talento" in expiring
    assert "MX-5" not in expiring  # suspended: not a licence in force
    assert "MX-1" not in expiring and "MX-3" not in expiring
    flags = section(page, "flags")
    assert flags.index("Eta Fantasma") < flags.index("Zeta Sin Licencia")  # oldest first
    assert "40 days" in flags and "Iota Guatemala" not in flags
    awaiting = section(page, "awaiting")
    assert "BAN-PENDING" in awaiting and "Lifted" in awaiting and "W-9" in awaiting
    assert awaiting.count(">Confirm</button>") == 2
