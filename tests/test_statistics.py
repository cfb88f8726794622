"""Figures nobody has: the lookups counted without who looked, the public statistics by country
and year (tables, SVG charts, CSV), and what the lookups tell regulators."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sqlmodel import select
from support import EN, log_in, log_out

from registry.models import AgencyContact, LookupTally, RedFlag, SearchedName
from registry.statistics import figures, insights, tally


def flushed(app):
    tally.flush(app.extensions["registry.engine"], app)


def test_lookups_are_counted_by_outcome_and_names_only_when_nothing_was_found(
    app, client, session, world
):
    for query in (
        "/search?q=Agencia+Sierra+Madre",  # licensed
        "/search?q=Agencia+Sierra+Madre&country=MX",
        "/search?q=Agencia+Sierra+Madree+Global",  # look-alikes at best
        "/search?q=Reclutadora+Fantasma+Zeta&country=MX",  # nothing
        "/search?q=reclutadora+fantasma+ZETA&country=MX",  # the same name, typed otherwise
    ):
        assert client.get(query).status_code == 200
    assert client.get("/api/v1/search?q=Reclutadora+Fantasma+Zeta&country=mx").status_code == 200
    flushed(app)
    counts = {(t.country, t.outcome): t.count for t in session.exec(select(LookupTally)).all()}
    assert counts[("", "licensed")] == 1 and counts[("MX", "licensed")] == 1
    assert counts[("MX", "none")] == 3
    assert sum(counts.values()) == 6
    names = session.exec(select(SearchedName)).all()
    ghost = next(n for n in names if n.name_key == "reclutadora fantasma zeta")
    assert ghost.count == 3 and ghost.country == "MX" and ghost.outcome == "none"
    assert all("sierra madre" != n.name_key for n in names)  # found names are not kept
    columns = set(SearchedName.__table__.columns.keys()) | set(LookupTally.__table__.columns.keys())
    assert not columns & {"address", "ip", "user_agent", "user_id", "session"}
    # a second flush adds to what is there; detail older than KEEP_DAYS is deleted
    client.get("/search?q=Reclutadora+Fantasma+Zeta&country=MX")
    flushed(app)
    session.expire_all()
    assert session.get(SearchedName, (ghost.day, ghost.name_key, "MX", "none")).count == 4
    later = date.today() + timedelta(days=tally.KEEP_DAYS + 1)
    assert tally.prune(app.extensions["registry.engine"], on=later) >= 1
    session.expire_all()
    assert session.exec(select(SearchedName)).all() == []
    assert session.exec(select(LookupTally)).all()  # the monthly counts stay


def test_the_statistics_page_shows_tables_charts_and_csv_in_the_visitors_language(
    app, client, session, world
):
    assert "being counted" in client.get("/statistics", headers=EN).get_data(as_text=True)
    client.get("/search?q=Agencia+Sierra+Madre")
    flushed(app)
    data = figures.refresh(app.extensions["registry.engine"])
    this_year = date.today().year
    licences = {(r[0], r[1]): r for r in data["licences"]}
    assert licences[("MX", this_year)][2] >= 1  # Sierra Madre, licensed to 2099
    sanctions = {(r[0], r[1]): r for r in data["sanctions"]}
    columns = figures.TABLES["sanctions"]
    assert any(row[columns.index("warning")] for row in sanctions.values())
    assert data["lookups"][0][1] >= 1
    page = client.get("/statistics", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in text
    assert "Licences issued" in text and "Mexico" in text and "Lookups each month" in text
    assert 'src="/statistics/licences.svg?lang=en"' in text
    assert "The same figures are in the table" in text
    chart = client.get("/statistics/sanctions.svg", headers=EN)
    svg = chart.get_data(as_text=True)
    assert chart.mimetype == "image/svg+xml" and "<script" not in svg
    assert "Sanctions by type" in svg and "Warning" in svg
    spanish = client.get("/statistics/licences.csv?country=MX", headers={"Accept-Language": "es"})
    rows = list(csv.reader(io.StringIO(spanish.get_data(as_text=True))))
    assert rows[0][:2] == ["País", "Año"] and {r[0] for r in rows[1:]} == {"MX"}
    assert 'filename="licences-MX.csv"' in spanish.headers["Content-Disposition"]
    assert client.get("/statistics/passwords.csv").status_code == 404
    for lang in ("fr", "pt", "ht"):
        assert "Licences issued" not in client.get(f"/statistics?lang={lang}").get_data(
            as_text=True
        )


def test_the_median_time_to_a_decision_counts_decided_red_flags(app, client, session, world):
    flag = world["flag"]
    flag.created_at = flag.created_at - timedelta(days=10)
    flag.decided_at = flag.created_at + timedelta(days=4)
    flag.state = "unsubstantiated"
    session.add(flag)
    session.commit()
    data = figures.refresh(app.extensions["registry.engine"])
    columns = figures.TABLES["red_flags"]
    mx = [r for r in data["red_flags"] if r[0] == "MX" and r[columns.index("unsubstantiated")]]
    assert mx and mx[0][columns.index("median_days_to_decision")] == 4.0
    assert mx[0][columns.index("category")] == flag.category
    csv_text = client.get("/statistics/red_flags.csv?country=MX", headers=EN).get_data(as_text=True)
    assert "What was reported" in csv_text and "4.0" in csv_text


def test_a_review_records_when_the_red_flag_was_decided(client, session, world):
    from support import token

    flag = world["flag"]
    log_in(client, "mx1@gov.example")
    url = f"/manage/red-flags/{flag.id}"
    client.post(url, data={"state": "under_review", "csrf_token": token(client, url)})
    session.expire_all()
    assert session.get(RedFlag, flag.id).decided_at is None  # not decided yet
    client.post(url, data={"state": "unsubstantiated", "csrf_token": token(client, url)})
    session.expire_all()
    assert session.get(RedFlag, flag.id).decided_at is not None


def test_regulators_see_what_the_lookups_tell_and_nobody_else(app, client, session, world):
    for _ in range(3):
        client.get("/search?q=Reclutadora+Fantasma+Zeta&country=MX")
    client.get("/search?q=Agencia+Sierra+Madree+Global&country=MX")
    second = world["second"]
    session.add_all(
        [
            AgencyContact(agency_id=world["agency"].id, type="phone", value="+52 55 4444 1212"),
            AgencyContact(agency_id=second.id, type="phone", value="(55) 4444-1212"),
            AgencyContact(agency_id=world["agency"].id, type="email", value="a@gmail.com"),
            AgencyContact(agency_id=second.id, type="email", value="b@gmail.com"),
        ]
    )
    session.commit()
    flushed(app)
    insights.refresh_shared(app.extensions["registry.engine"])
    assert client.get("/manage/insights").status_code == 302  # log in first
    log_in(client, "ngo@ngo.example")
    assert client.get("/manage/insights").status_code == 403
    log_out(client)
    log_in(client, "mx1@gov.example")
    page = client.get("/manage/insights", headers=EN).get_data(as_text=True)
    assert "Reclutadora Fantasma Zeta" in page and ">3<" in page
    assert "+525544441212" in page and "Agencia Costa Verde" in page
    assert "gmail.com" not in page  # a mail provider says nothing
    guatemala = client.get("/manage/insights?country=GT", headers=EN).get_data(as_text=True)
    assert "Reclutadora Fantasma Zeta" not in guatemala


def test_placement_returns_are_kept_by_the_licensing_authority_and_counted(
    app, client, runner, session, world, tmp_path
):
    from support import token

    licence = world["licence"]  # Mexico's MX-77
    url = f"/manage/licences/{licence.id}/placements"
    log_in(client, "gt@gov.example")
    assert client.get(url).status_code == 403  # not Guatemala's licence
    log_out(client)
    log_in(client, "mx1@gov.example")
    manage = client.get(f"/manage/agencies/{world['agency'].id}", headers=EN).get_data(as_text=True)
    assert url in manage
    sent = {"year": "2025", "destination": "CA", "women": "12", "men": "30", "unspecified": "1"}
    assert client.post(url, data={**sent, "csrf_token": token(client, url)}).status_code == 302
    wrong = client.post(url, data={**sent, "year": "1850", "csrf_token": token(client, url)})
    assert wrong.status_code == 400 and 'value="1850"' in wrong.get_data(as_text=True)
    path = tmp_path / "returns.csv"
    path.write_text(
        "licence_number,licence_country,year,destination,women,men,unspecified\n"
        "MX-77,MX,2025,US,4,6,0\n"
        "MX-00,MX,2025,US,1,1,0\n"
        "MX-77,MX,2025,XX,1,1,0\n",
        encoding="utf-8",
    )
    refused = runner.invoke(args=["import-placements", str(path)])
    assert refused.exit_code != 0
    assert "line 3: no licence" in refused.output and "line 4:" in refused.output
    assert "nothing was imported" in refused.output
    path.write_text(path.read_text().splitlines()[0] + "\nmx 77,MX,2025,US,4,6,0\n", "utf-8")
    imported = runner.invoke(args=["import-placements", str(path)])
    assert imported.exit_code == 0, imported.output
    data = figures.refresh(app.extensions["registry.engine"])
    placed = {(r[0], r[1], r[2]): r[3:] for r in data["placements"]}
    assert placed == {("MX", 2025, "CA"): [12, 30, 1, 43], ("MX", 2025, "US"): [4, 6, 0, 10]}
    page = client.get("/statistics?country=MX", headers=EN).get_data(as_text=True)
    assert "Workers placed, by destination and sex" in page and ">43<" in page


def test_a_process_writes_its_counts_itself_after_a_while(app, client, session, world):
    """Behind gunicorn the worker process never runs the web processes' code: each web process
    writes its own counts, from a thread, once they are old enough."""
    background = app.extensions["registry.statistics"]
    client.get("/search?q=Agencia+Sierra+Madre")
    assert background.flush_soon() is None  # not old enough yet
    background.flush_seconds = 0
    thread = background.flush_soon()
    thread.join(timeout=30)
    assert session.exec(select(LookupTally)).one().count == 1
    assert background.flush_soon() is None  # nothing left to write
