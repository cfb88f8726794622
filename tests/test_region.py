"""One region, many authorities: each country's standing on the public page and in the API,
agencies' corridors, authorities of several kinds, and reports routed only to licensing
regulators."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import select
from support import EN, authority_with_account, log_in, send_report, token

from registry.audit.chain import verify
from registry.models import Agency, AuditEntry, Authority, Licence, Sanction
from registry.search.matching import licence_key


def licensed_in_gt_revoked_in_mx(session, make_agency, make_authority):
    """An agency of Guatemala licensed there, whose Mexican licence Mexico revoked."""
    mx = make_authority("Secretaría MX", "MX")
    agency = make_agency(
        "Enlaces Transfronterizos", country="GT", licence=("GT-1", "active", date(2099, 1, 1))
    )
    session.add(
        Licence(
            agency_id=agency.id,
            authority_id=mx.id,
            number="MX-9",
            number_key=licence_key("MX-9"),
            country="MX",
            valid_from=date(2024, 1, 1),
            valid_until=date(2099, 1, 1),
        )
    )
    session.add(
        Sanction(
            agency_id=agency.id,
            authority_id=mx.id,
            country="MX",
            type="revocation",
            decision_ref="MX-REV-1",
            starts_on=date(2026, 3, 2),
        )
    )
    session.commit()
    return agency


def test_the_public_page_shows_each_countrys_standing(
    client, session, make_agency, make_authority, index_now
):
    agency = licensed_in_gt_revoked_in_mx(session, make_agency, make_authority)
    page = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert "verdict-box-revoked" in page  # the revocation leads
    assert "Licence revoked in Mexico on March 2, 2026." in page
    assert "Licensed in Guatemala until January 1, 2099." in page
    spanish = client.get(f"/agencies/{agency.id}", headers={"Accept-Language": "es"})
    assert "Licencia revocada en México el 2 de marzo de 2026." in spanish.get_data(as_text=True)


def test_the_api_gives_each_countrys_standing(
    client, session, make_agency, make_authority, index_now
):
    agency = licensed_in_gt_revoked_in_mx(session, make_agency, make_authority)
    index_now()
    data = client.get(f"/api/v1/agencies/{agency.id}", headers=EN).get_json()
    assert data["verdict"]["code"] == "revoked"
    assert [(s["country"], s["status"], s["on"]) for s in data["verdict"]["standings"]] == [
        ("MX", "revoked", "2026-03-02"),
        ("GT", "licensed", "2099-01-01"),
    ]
    assert [s["country"] for s in data["sanctions"]] == ["MX"]
    hits = client.get("/api/v1/search?q=Enlaces+Transfronterizos", headers=EN).get_json()
    assert hits["results"][0]["verdict"]["standings"][0]["status"] == "revoked"


def test_a_regulator_records_where_an_agency_recruits_and_places(client, session, world):
    log_in(client, "mx1@gov.example")
    response = client.post(
        "/manage/agencies/new",
        data={
            "name": "Cosechas del Norte",
            "kind": "agency",
            "recruits_in": ["GT", "HT"],
            "places_in": ["CA"],
            "csrf_token": token(client, "/manage/agencies/new"),
        },
    )
    assert response.status_code == 302
    agency = session.exec(select(Agency).where(Agency.name == "Cosechas del Norte")).one()
    assert agency.corridor_countries("origin") == ["GT", "HT"]
    assert agency.corridor_countries("destination") == ["CA"]
    edit = f"/manage/agencies/{agency.id}/edit"
    form = client.get(edit, headers=EN).get_data(as_text=True)
    assert '<option selected value="HT">' in form
    response = client.post(
        edit,
        data={
            "name": "Cosechas del Norte",
            "kind": "agency",
            "recruits_in": ["GT"],
            "places_in": ["CA", "US"],
            "csrf_token": token(client, edit),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    agency = session.get(Agency, agency.id)
    assert agency.corridor_countries("origin") == ["GT"]
    assert agency.corridor_countries("destination") == ["CA", "US"]
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.action == "agency.edit").order_by(AuditEntry.id.desc())
    ).first()
    assert json.loads(entry.before)["recruits_in"] == ["GT", "HT"]
    assert json.loads(entry.after)["places_in"] == ["CA", "US"]
    assert verify(session)[1] == []
    public = client.get(f"/agencies/{agency.id}", headers=EN).get_data(as_text=True)
    assert "Recruits workers in" in public and "Guatemala" in public
    assert "Places workers in" in public and "Canada, United States" in public


def test_an_unknown_country_in_a_corridor_is_refused_and_the_form_kept(client, session, world):
    log_in(client, "mx1@gov.example")
    response = client.post(
        "/manage/agencies/new",
        headers=EN,
        data={
            "name": "Cosechas del Sur",
            "kind": "agency",
            "recruits_in": ["XX"],
            "csrf_token": token(client, "/manage/agencies/new"),
        },
    )
    assert response.status_code == 400
    assert 'value="Cosechas del Sur"' in response.get_data(as_text=True)
    assert session.exec(select(Agency).where(Agency.name == "Cosechas del Sur")).first() is None


def authority_form(client, **fields):
    url = "/admin/authorities/new"
    data = {
        "name": "Consulado de Honduras en Monterrey",
        "code": "",
        "country": "HN",
        "kind": "consulate",
        "station": "MX",
        "website": "",
        "email": "",
        "phone": "",
        "contact": "",
        "languages": "es",
        **fields,
    }
    return client.post(url, headers=EN, data={**data, "csrf_token": token(client, url)})


def test_administrators_record_consulates_and_inspectorates(client, session, world):
    log_in(client, "admin@example.org")
    assert authority_form(client).status_code == 302
    consulate = session.exec(select(Authority).where(Authority.country == "HN")).one()
    assert (consulate.kind, consulate.station) == ("consulate", "MX")
    listed = client.get("/admin/authorities", headers=EN).get_data(as_text=True)
    assert "Consulate or labour attaché abroad" in listed and "stationed in Mexico" in listed
    # a consulate stationed at home, or nowhere, is refused with the form kept
    refused = authority_form(client, name="Consulado sin sede", station="")
    assert refused.status_code == 400
    assert "stationed" in refused.get_data(as_text=True)
    assert 'value="Consulado sin sede"' in refused.get_data(as_text=True)
    # an inspectorate is stationed nowhere, whatever the form says
    assert (
        authority_form(
            client, name="Inspección CA", country="CA", kind="inspectorate", station="MX"
        ).status_code
        == 302
    )
    inspectorate = session.exec(select(Authority).where(Authority.name == "Inspección CA")).one()
    assert (inspectorate.kind, inspectorate.station) == ("inspectorate", "")


def test_a_report_on_a_country_with_only_a_consulate_reaches_the_administrators(
    client, session, world
):
    """A consulate or an inspectorate reviews no reports: a country that has only those is not
    covered, and its reports wait on the administrators' page."""
    authority_with_account(
        session, "c@hn.example", name="Consulado HN", country="HN", kind="consulate", station="MX"
    )
    session.commit()
    send_report(client, name="Agencia Catracha Falsa", country="HN")
    log_in(client, "admin@example.org")
    assert "Agencia Catracha Falsa" in client.get("/admin/", headers=EN).get_data(as_text=True)
