"""Reports as their users send and follow them: every report reaches someone who can act on it,
is filed on the agency it names, and says what happens next; each role lands on its own home."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select
from support import EN, log_in, log_out, send_report, token

from registry.models import Agency, RedFlag


def agencies(session):
    session.expire_all()
    return session.exec(select(func.count()).select_from(Agency)).one()


def flags_on(session, agency_id):
    session.expire_all()
    return session.exec(select(RedFlag).where(RedFlag.agency_id == agency_id)).all()


def options(page: str, name: str) -> list[tuple[str, bool]]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [
        (value, "selected" in rest)
        for value, rest in re.findall(r'<option[^>]*value="([^"]*)"([^>]*)>', select_html)
    ]


def test_the_form_starts_with_no_country_and_no_category_chosen(client, reports_world):
    page = client.get("/report", headers=EN).get_data(as_text=True)
    for name in ("country", "category"):
        offered = options(page, name)
        assert offered[0][0] == "", name
        assert not any(selected for value, selected in offered if value), name


def test_a_new_name_without_a_country_is_refused_and_keeps_what_was_typed(
    client, session, reports_world
):
    before = agencies(session)
    response = send_report(
        client,
        name="Zeta Ocupaciones Lejanas",
        country="",
        description="They kept my passport in a drawer.",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the country where it happened." in page
    assert "Zeta Ocupaciones Lejanas" in page and "They kept my passport in a drawer." in page
    assert agencies(session) == before


def test_an_exact_name_in_its_country_is_filed_on_the_registered_agency(
    client, session, reports_world
):
    before = agencies(session)
    response = send_report(client, name="agencia  SIERRA madre")
    assert response.status_code == 200 and "Your receipt code is" in response.get_data(as_text=True)
    assert agencies(session) == before
    assert len(flags_on(session, reports_world["agency"].id)) == 1


def test_a_near_name_asks_which_agency_and_files_on_the_one_chosen(client, session, reports_world):
    before = agencies(session)
    typed = {
        "name": "Agensia Sierra Madre",
        "country": "MX",
        "description": "They promised a job in a farm for a fee.",
    }
    asked = send_report(client, **typed)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Is it one of these?" in page
    assert f'name="choice" value="{reports_world["agency"].id}"' in page
    assert "They promised a job in a farm for a fee." in page  # nothing typed is lost
    assert agencies(session) == before and not flags_on(session, reports_world["agency"].id)
    filed = send_report(client, choice=str(reports_world["agency"].id), **typed)
    assert "Your receipt code is" in filed.get_data(as_text=True)
    assert agencies(session) == before
    assert len(flags_on(session, reports_world["agency"].id)) == 1


def test_none_of_these_makes_a_reported_record(client, session, reports_world):
    before = agencies(session)
    typed = {"name": "Agensia Sierra Madre", "country": "MX"}
    assert "Is it one of these?" in send_report(client, **typed).get_data(as_text=True)
    filed = send_report(client, choice="new", **typed)
    assert "Your receipt code is" in filed.get_data(as_text=True)
    assert agencies(session) == before + 1
    made = session.exec(select(Agency).order_by(Agency.id.desc())).first()
    assert made.name == "Agensia Sierra Madre" and made.listing == "reported"
    assert not made.licences


def test_a_name_that_matches_nothing_is_filed_without_asking(client, session, reports_world):
    before = agencies(session)
    filed = send_report(client, name="Zeta Ocupaciones Lejanas", country="GT")
    assert "Your receipt code is" in filed.get_data(as_text=True)
    assert agencies(session) == before + 1


def test_every_country_offered_leads_to_someone_who_reads_the_report(
    client, session, reports_world
):
    """No stored report is outside every queue: for each country the form offers, the report
    appears in the queue of that country's regulators or on the administrators' page."""
    page = client.get("/report", headers=EN).get_data(as_text=True)
    countries = [value for value, _selected in options(page, "country") if value]
    assert len(countries) >= 11
    for number, country in enumerate(countries):
        response = send_report(
            client,
            address=f"10.1.{number // 200}.{number % 200}",
            name=f"Reclutadora Fantasma {country}",
            country=country,
        )
        assert response.status_code == 200, country
    readers = {"MX": "mx1@gov.example", "GT": "gt@gov.example"}
    seen: dict[str, str] = {}
    for country, email in readers.items():
        log_in(client, email)
        seen[country] = client.get("/manage/red-flags", headers=EN).get_data(as_text=True)
        log_out(client)
    log_in(client, "admin@example.org")
    admin_page = client.get("/admin/", headers=EN).get_data(as_text=True)
    for country in countries:
        name = f"Reclutadora Fantasma {country}"
        where = [c for c, queue in seen.items() if name in queue] + (
            ["admin"] if name in admin_page else []
        )
        assert where == ([country] if country in readers else ["admin"]), (country, where)


def test_the_receipt_and_the_status_page_say_what_happens_next(client, session, reports_world):
    routed = send_report(client).get_data(as_text=True)
    assert "A regulator of Mexico will read it" in routed
    code = re.search(r'class="receipt"><strong>([^<]+)<', routed).group(1)
    status = client.post(
        "/report/status",
        data={"code": code, "csrf_token": token(client, "/report/status")},
        headers=EN,
    ).get_data(as_text=True)
    assert "Received on" in status and "Last change" in status
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">', status)
    assert "waiting for a regulator to read it" in status

    unrouted = send_report(
        client, address="10.0.0.2", name="Zeta Ocupaciones Lejanas", country="HN"
    ).get_data(as_text=True)
    assert "No authority of Honduras uses the registry yet" in unrouted


def test_a_wrong_receipt_code_is_a_clear_error(client, reports_world):
    response = client.post(
        "/report/status",
        data={"code": "NOPE-NOPE", "csrf_token": token(client, "/report/status")},
        headers=EN,
    )
    assert response.status_code == 400
    assert "No report has this receipt code" in response.get_data(as_text=True)


def test_the_review_queue_filters_by_state(client, session, reports_world):
    send_report(client, description="First: a fee for the visa.")
    send_report(client, address="10.0.0.3", description="Second: they kept my passport.")
    first = session.exec(select(RedFlag).order_by(RedFlag.id)).first()
    first.state = "under_review"
    session.add(first)
    session.commit()
    log_in(client, "mx1@gov.example")
    everything = client.get("/manage/red-flags", headers=EN).get_data(as_text=True)
    assert everything.count('class="flag-row"') == 2
    reviewing = client.get("/manage/red-flags?state=under_review", headers=EN).get_data(
        as_text=True
    )
    assert reviewing.count('class="flag-row"') == 1
    assert client.get("/manage/red-flags?state=bogus").status_code == 200


@pytest.mark.parametrize(
    "role,home", [("regulator", "/manage/"), ("ngo", "/ngo/reports"), ("admin", "/admin/")]
)
def test_each_role_lands_on_its_own_home(client, reports_world, role, home):
    response = log_in(client, reports_world["users"][role].email)
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_an_administrator_on_a_regulators_page_is_told_why(client, reports_world):
    log_in(client, "admin@example.org")
    response = client.get(f"/manage/agencies/{reports_world['agency'].id}", headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "This page is for regulators" in page and "Something went wrong" not in page
    assert 'href="/admin/"' in page


@pytest.mark.parametrize("choice", ["²", "١٢", "99999999999999999999", "-1", "0"])
def test_a_strange_choice_is_asked_again_not_an_error(client, session, reports_world, choice):
    before = agencies(session)
    response = send_report(client, name="Agensia Sierra Madre", choice=choice)
    assert response.status_code == 200
    assert "Is it one of these?" in response.get_data(as_text=True)
    assert agencies(session) == before
