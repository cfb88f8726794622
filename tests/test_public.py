"""The public pages and the JSON API, as a migrant's phone and another tool see them."""

from __future__ import annotations

from datetime import date

import pytest

from registry.models import Sanction

FUTURE = date(2099, 1, 1)
EN = {"Accept-Language": "en"}
ES = {"Accept-Language": "es-MX,es;q=0.9"}


@pytest.fixture
def agencies(make_agency, index_now):
    made = {
        "ok": make_agency(
            "Agencia Horizonte Laboral",
            licence=("MX-100", "active", FUTURE),
            aliases=["Horizonte Empleos"],
            phones=["+52 55 5555 0101"],
        ),
        "suspended": make_agency(
            "Reclutadora Norte",
            licence=("MX-200", "active", FUTURE),
            sanctions=[
                {
                    "type": "suspension",
                    "starts_on": date(2026, 1, 1),
                    "ends_on": FUTURE,
                    "decision_ref": "RES-7",
                    "summary": "Fee complaints",
                }
            ],
        ),
    }
    index_now()
    return made


def text(response):
    return response.get_data(as_text=True)


def test_home_has_one_search_box_without_javascript(client):
    page = text(client.get("/", headers=EN))
    assert page.count('type="search"') == 1 and "<script" not in page
    assert 'name="viewport"' in page


def test_results_show_name_country_licence_and_verdict_in_words(client, agencies):
    page = text(client.get("/search?q=Agencia+Horizonte+Laboral", headers=EN))
    assert "Agencia Horizonte Laboral" in page and "Mexico" in page and "MX-100" in page
    assert 'class="verdict verdict-licensed"' in page and "Licensed" in page  # colour and words
    assert "Found:" in page
    link = f'class="name" href="/agencies/{agencies["ok"].id}">Agencia Horizonte Laboral<'
    assert link in page


def test_an_agency_found_by_its_trade_name_says_so_and_is_not_called_former(client, agencies):
    page = text(client.get("/search?q=Horizonte+Empleos", headers=EN))
    assert "Found: Agencia Horizonte Laboral" in page
    assert "(also known as Horizonte Empleos)" in page and "formerly" not in page
    page = text(client.get("/search?q=Agencia+Horizonte+Laboral", headers=EN))
    assert "also known as" not in page  # found by its own name


def test_similar_outcome_warns_about_look_alike_names(client, agencies):
    page = text(client.get("/search?q=Agencia+Horizonte+Global+Internacional", headers=EN))
    assert "scammers use names that look like a licensed agency's" in page
    assert "the licence number, the registered address and the official phone" in page


def test_none_outcome_says_unlicensed_is_illegal_and_links_to_report(client, agencies):
    page = text(client.get("/search?q=Visas+Garantizadas+Express", headers=EN))
    assert "No agency by this name is licensed" in page
    assert "Unlicensed recruitment is illegal" in page and "Never pay a recruitment fee" in page
    assert 'href="/report?name=Visas+Garantizadas+Express"' in page


def test_query_is_escaped(client, agencies):
    page = text(client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", headers=EN))
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_agency_page_shows_verdict_reasons_sanctions_and_advice(client, agencies):
    agency = agencies["suspended"]
    page = text(client.get(f"/agencies/{agency.id}", headers=EN))
    assert "verdict-suspended" in page
    assert (
        "Suspension by Ministry of MX from January 1, 2026 to January 1, 2099, decision RES-7."
        in page
    )
    assert "Fee complaints" in page and "RES-7" in page
    assert "ILO Convention 181" in page and "passport" in page
    assert "Record last changed on" in page


def test_ended_sanction_stays_on_the_page(client, session, agencies):
    agency = agencies["ok"]
    session.add(
        Sanction(
            agency_id=agency.id,
            type="fine",
            starts_on=date(2020, 1, 1),
            ends_on=date(2020, 2, 1),
            decision_ref="OLD-1",
        )
    )
    session.commit()
    page = text(client.get(f"/agencies/{agency.id}", headers=EN))
    assert "OLD-1" in page and "Past sanction" in page and 'verdict-licensed"' in page


def test_spanish_by_browser_and_english_by_switcher(client, agencies):
    assert "¿Esta agencia o consultor es legítimo?" in text(client.get("/", headers=ES))
    response = client.get("/language/en", headers={"Referer": "http://localhost/"})
    assert response.status_code == 302
    assert "Is this agency or consultant legitimate?" in text(client.get("/", headers=ES))


def test_filters_keep_the_choice_in_the_language_of_each_request(client, agencies):
    """The filter menus are rendered once per language and choice, then reused."""
    for _ in range(2):
        page = text(client.get("/search?q=Acme&country=MX", headers=ES))
        assert "Cualquier país" in page and "Any country" not in page
        assert '<option selected value="MX">' in page
        assert page.count("<option selected") == 1
        assert "<option selected" not in text(client.get("/search?q=Acme", headers=ES))
        page = text(client.get("/search?q=Acme&country=MX&verdict=revoked", headers=EN))
        assert "Any country" in page and "Cualquier país" not in page
        assert '<option selected value="revoked">' in page and page.count("<option selected") == 2


def test_results_page_and_api_speak_the_language_of_each_request(client, agencies):
    """The results page's own strings, its shared parts (search box, verdict badge, advice) and
    the API's summaries are in each request's language, one request after another."""
    for _ in range(2):
        page = text(client.get("/search?q=Agencia+Horizonte+Laboral", headers=ES))
        assert all(
            s in page
            for s in ("Verificar", "Filtros", "Con licencia", "Nunca entregue su pasaporte")
        )
        assert "Check</button>" not in page and "Never hand over" not in page
        page = text(client.get("/search?q=Agencia+Horizonte+Laboral", headers=EN))
        assert all(
            s in page
            for s in ("Check</button>", "Filters", "Licensed", "Never hand over your passport")
        )
        assert "Verificar" not in page
        for headers, summary in ((ES, "Con licencia: "), (EN, "Licensed: this agency")):
            found = client.get(
                "/api/v1/search?q=Agencia+Horizonte+Laboral", headers=headers
            ).get_json()["results"][0]["verdict"]["summary"]
            assert found.startswith(summary)


def test_responses_in_a_negotiated_language_tell_caches_so(client, agencies):
    """A proxy or CDN in front keys what it keeps on the language's sources: an English page
    kept for one visitor is never served to a Spanish browser."""
    for path in (
        "/",
        "/search?q=Agencia+Horizonte+Laboral",
        "/api/v1/search?q=Agencia+Horizonte+Laboral",
    ):
        vary = client.get(path, headers=ES).headers.get("Vary", "")
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in vary.split(",")}, path
    # ?lang= in the address chooses alone: the address is the key
    response = client.get("/api/v1/search?q=Agencia+Horizonte+Laboral&lang=en", headers=ES)
    assert response.get_json()["results"][0]["verdict"]["summary"].startswith("Licensed")
    assert "Accept-Language" not in response.headers.get("Vary", "")


def test_spanish_verdict_reasons(client, agencies):
    page = text(client.get(f"/agencies/{agencies['ok'].id}", headers=ES))
    assert (
        "La licencia MX-100, emitida por Ministry of MX, está vigente hasta el 1 de enero de 2099."
        in page
    )


def test_unknown_agency_is_404(client):
    assert client.get("/agencies/12345").status_code == 404


def test_api_search_shape(client, agencies):
    data = client.get("/api/v1/search?q=horizonte+empleos", headers=EN).get_json()
    assert data["query"] == "horizonte empleos" and data["outcome"] == "match"
    assert data["total"] == 1 and data["warnings"] == []
    hit = data["results"][0]
    assert set(hit) == {
        "id",
        "name",
        "aliases",
        "kind",
        "country",
        "licence_number",
        "status",
        "verdict",
        "match",
        "score",
        "matched_name",
        "number_of_another",
        "url",
    }
    assert hit["matched_name"] == "Horizonte Empleos" and hit["number_of_another"] is False
    assert hit["name"] == "Agencia Horizonte Laboral" and hit["aliases"] == ["Horizonte Empleos"]
    assert hit["licence_number"] == "MX-100" and hit["verdict"]["code"] == "licensed"
    assert hit["match"] == "exact" and hit["url"].endswith(f"/agencies/{hit['id']}")


def test_api_search_by_phone_and_filters(client, agencies):
    assert (
        client.get("/api/v1/search?q=(55)%205555-0101").get_json()["results"][0]["name"]
        == "Agencia Horizonte Laboral"
    )
    data = client.get("/api/v1/search?q=horizonte&country=GT").get_json()
    assert data["outcome"] == "none" and data["results"] == []


def test_api_agency_record(client, agencies):
    agency = agencies["suspended"]
    data = client.get(f"/api/v1/agencies/{agency.id}", headers=EN).get_json()
    assert data["verdict"]["code"] == "suspended"
    assert any("RES-7" in r["text"] for r in data["verdict"]["reasons"])
    assert data["sanctions"][0]["decision_ref"] == "RES-7"
    assert data["licences"][0]["number"] == "MX-200"


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/search", 400),
        ("/api/v1/search?q=x&limit=0", 400),
        ("/api/v1/search?q=x&limit=abc", 400),
        ("/api/v1/search?q=x&kind=robot", 400),
        ("/api/v1/search?q=x&country=Mexico", 400),
        ("/api/v1/agencies/999", 404),
        ("/api/v1/nothing", 404),
    ],
)
def test_api_errors_are_json(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]["code"] == status


def test_unexpected_error_is_json_under_api_and_a_page_elsewhere(app, client, caplog):
    def boom():
        raise RuntimeError("database exploded")

    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    app.add_url_rule("/boom", "page_boom", boom)
    response = client.get("/api/v1/boom")
    assert response.status_code == 500 and response.get_json()["error"]["code"] == 500
    assert "database exploded" not in response.get_data(as_text=True)
    page = client.get("/boom", headers=EN)
    assert page.status_code == 500 and "Something went wrong" in text(page)
    assert "database exploded" in caplog.text  # logged for the operators, not shown


def test_public_pages_read_through_a_reader_that_cannot_write(app):
    """Lookups and agency pages read outside any transaction (registry.db.get_reader): what
    they see is what is committed, and a view that tried to write through it would fail
    rather than commit a half-done change statement by statement."""
    from registry.db import get_reader
    from registry.models import Authority

    with app.test_request_context():
        reader = get_reader()
        reader.add(Authority(name="Written through the reader", country="MX"))
        with pytest.raises(RuntimeError, match="does not write"):
            reader.flush()
    with app.app_context():
        from sqlmodel import select

        from registry.db import get_session

        assert (
            not get_session()
            .exec(select(Authority).where(Authority.name == "Written through the reader"))
            .all()
        )
