"""Proof of a check: a dated, printable page of what the registry answered, with a code and a QR
code that open /check/<code>, where anyone confirms it and sees what changed since."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import select
from support import EN, token

from registry.models import ProofOfCheck, Sanction


def make_proof(client, agency_id, headers=EN):
    url = f"/agencies/{agency_id}/proof"
    response = client.post(url, headers=headers, data={"csrf_token": token(client, url)})
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_proof_is_issued_verified_and_shows_what_changed(client, session, world):
    agency = world["agency"]
    results = client.get("/search?q=Agencia+Sierra+Madre", headers=EN).get_data(as_text=True)
    assert f"/agencies/{agency.id}/proof" in results
    assert "Set-Cookie" not in client.get(f"/agencies/{agency.id}", headers=EN).headers
    location = make_proof(client, agency.id)
    code = re.search(r"/check/([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})$", location).group(1)
    page = client.get(location, headers=EN).get_data(as_text=True)
    assert "The recruitment registry issued this proof." in page
    assert "Agencia Sierra Madre" in page and "<svg" in page and code in page
    assert "Nothing has changed since" in page
    # the same day, language and verdict: the same proof
    assert make_proof(client, agency.id) == location
    assert len(session.exec(select(ProofOfCheck)).all()) == 1
    # typed by hand: case and dashes do not matter
    assert client.get("/check/" + code.replace("-", "").lower()).status_code == 200

    # Mexico suspends the agency after the proof: the proof still says what it said, and
    # today's answer and the change are shown
    session.add(
        Sanction(
            agency_id=agency.id,
            authority_id=world["users"]["regulator"].authority_id,
            country="MX",
            type="suspension",
            decision_ref="S-1",
            starts_on=date.today(),
        )
    )
    session.commit()
    page = client.get(location, headers=EN).get_data(as_text=True)
    assert "verdict-box-licensed" in page or "verdict-box-licensed_with_warnings" in page
    assert "Today the registry answers:" in page and "Suspended" in page
    assert "Suspension: Agencia Sierra Madre" in page


def test_an_unknown_code_says_the_paper_may_be_false(client):
    response = client.get("/check/AAAA-BBBB-CCCC-DDDD", headers=EN)
    assert response.status_code == 404
    assert "the paper may be false" in response.get_data(as_text=True)
    assert client.get("/check/<script>", headers=EN).status_code == 404


def test_a_proof_needs_the_button_and_a_public_agency(client, world):
    agency = world["agency"]
    assert client.post(f"/agencies/{agency.id}/proof").status_code == 400  # no CSRF token
    assert client.get(f"/agencies/{world['reported'].id}/proof").status_code == 404
    page = client.get(f"/agencies/{agency.id}/proof", headers=EN).get_data(as_text=True)
    assert "Make the proof" in page


def test_a_proof_reads_in_the_language_it_was_made_in(client, session, world):
    location = make_proof(client, world["agency"].id, headers={"Accept-Language": "es"})
    page = client.get(location, headers=EN).get_data(as_text=True)
    assert "La licencia MX-77" in page  # the reasons as they were read, in Spanish
