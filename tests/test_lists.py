"""Other registers' lists come in (excerpts of the real IDB and SAT lists in tests/data): each
entry attaches to the agency it names, waits for review when the match is uncertain, or becomes
a record with its sanction; every such sanction carries its provenance; a newer list updates,
and an entry the source dropped is marked lifted, never deleted."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select
from support import EN, log_in, token

from registry.models import Agency, AuditEntry, ListMatch, ListSource, Sanction
from registry.opendata import lists

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).parent.parent / "docs" / "lists"
IDB = lists.Mapping.read(DOCS / "idb.json")


def run(app, session, path, published, mapping=IDB):
    with app.test_request_context():
        outcome = lists.import_list(session, mapping=mapping, path=path, published_on=published)
        session.commit()
    return outcome


def idb_sanctions(session):
    session.expire_all()
    return session.exec(select(Sanction).where(Sanction.source_id.is_not(None))).all()


def test_a_list_comes_in_with_its_provenance(app, client, session, world, make_agency, index_now):
    known = make_agency("A Pontual - Motores e Máquinas, Ltda", country="BR")
    near = make_agency("A.S. Constructions Ltd", country="BD")
    index_now()
    outcome = run(app, session, DATA / "idb_excerpt.csv", date(2025, 6, 30))
    assert outcome.rows == 40 and outcome.attached == 1 and outcome.uncertain == 1
    assert outcome.created + outcome.attached + outcome.uncertain + outcome.skipped == 40 - (
        outcome.updated + outcome.unchanged
    )
    assert any("no name or no country" in p for p in outcome.problems)  # "Regional"
    on_known = [s for s in idb_sanctions(session) if s.agency_id == known.id]
    assert len(on_known) == 1
    sanction = on_known[0]
    assert (sanction.type, sanction.country, sanction.starts_on) == (
        "warning",
        "BR",
        date(2012, 11, 13),
    )
    assert sanction.source.name == "IDB sanctioned firms and individuals"
    assert sanction.published_on == date(2025, 6, 30) and sanction.ends_on is None  # Ongoing
    assert not [s for s in idb_sanctions(session) if s.agency_id == near.id]  # waits
    waiting = session.exec(select(ListMatch)).one()
    assert waiting.agency_id == near.id and json.loads(waiting.entry)["name"] == "A.S. Construction"
    page = client.get(f"/agencies/{known.id}", headers=EN).get_data(as_text=True)
    assert "Source: IDB sanctioned firms and individuals, list of June 30, 2025" in page
    assert "Inter-American Development Bank" in page  # the authority its reasons name
    api = client.get(f"/api/v1/agencies/{known.id}").get_json()
    assert api["sanctions"][0]["source"]["name"] == "IDB sanctioned firms and individuals"
    created = session.exec(
        select(Agency).where(Agency.name == "A.G. Vision Construction Nigeria Ltd.")
    ).one()
    assert created.country == "NG" and created.listing == "registry"
    aliased = session.exec(
        select(Agency).where(Agency.country == "IN", Agency.name == "A2Z Infra Engineering Limited")
    ).one()
    assert [n.name for n in aliased.names]  # "(Previously known as ...)" became a name
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "list.import")).one()


def test_a_newer_list_updates_and_lifts_what_it_dropped(app, client, session, world, tmp_path):
    run(app, session, DATA / "idb_excerpt.csv", date(2025, 6, 30))
    before = {s.source_ref: s.id for s in idb_sanctions(session)}
    shorter = tmp_path / "idb_shorter.csv"
    shorter.write_text("".join((DATA / "idb_excerpt.csv").read_text().splitlines(True)[:21]))
    outcome = run(app, session, shorter, date(2025, 9, 30))
    assert outcome.created == 0 and outcome.lifted > 0
    after = idb_sanctions(session)
    assert {s.source_ref: s.id for s in after} == before  # nothing deleted, nothing new
    lifted = [s for s in after if s.lifted_on is not None]
    assert len(lifted) == outcome.lifted
    assert all(s.lifted_on == date(2025, 9, 30) for s in lifted)
    kept = [s for s in after if s.lifted_on is None]
    assert kept and all(s.published_on == date(2025, 9, 30) for s in kept)
    page = client.get(f"/agencies/{lifted[0].agency_id}", headers=EN).get_data(as_text=True)
    assert "No longer on the list since September 30, 2025." in page
    # the full list again: back on it, no longer lifted
    assert run(app, session, DATA / "idb_excerpt.csv", date(2025, 10, 31)).lifted == 0
    assert all(s.lifted_on is None for s in idb_sanctions(session))


def test_an_uncertain_entry_is_decided_by_a_reviewer(
    app, client, session, world, make_agency, index_now
):
    near = make_agency("A.S. Constructions Ltd", country="BD")
    index_now()
    run(app, session, DATA / "idb_excerpt.csv", date(2025, 6, 30))
    waiting = session.exec(select(ListMatch)).one()
    log_in(client, "mx1@gov.example")  # Mexico: not its country's agency
    assert (
        client.post(
            f"/manage/list-matches/{waiting.id}", data={"same": "yes", "csrf_token": token(client)}
        ).status_code
        == 403
    )
    assert "A.S. Construction" not in client.get("/manage/list-matches", headers=EN).get_data(
        as_text=True
    )
    client.post("/logout", data={"csrf_token": token(client, "/help")})
    log_in(client, "admin@example.org")
    queue = client.get("/manage/list-matches", headers=EN).get_data(as_text=True)
    assert "A.S. Construction" in queue and "A.S. Constructions Ltd" in queue
    done = client.post(
        f"/manage/list-matches/{waiting.id}",
        data={"same": "yes", "csrf_token": token(client, "/manage/list-matches")},
    )
    assert done.status_code == 302
    session.expire_all()
    ref = waiting.source_ref
    assert [s.agency_id for s in idb_sanctions(session) if s.source_ref == ref] == [near.id]
    assert session.get(ListMatch, waiting.id).state == "attached"


def test_the_tax_authority_list_reads_its_own_encoding_and_ids(app, session, world):
    mapping = lists.Mapping.read(DOCS / "sat-69b.json")
    outcome = run(app, session, DATA / "sat_69b_excerpt.csv", date(2022, 11, 30), mapping)
    sanctions = idb_sanctions(session)
    assert outcome.rows == 37 and outcome.skipped == 37 - len(sanctions)
    assert all(len(s.source_ref) in (12, 13) and s.country == "MX" for s in sanctions)  # RFCs
    names = {s.agency.name for s in sanctions}
    assert "ASESORES Y ADMINISTRADORES AGRICOLAS, S. DE R.L. DE C.V." in names  # Definitivo
    assert "ASESORES EN AVALÚOS Y ACTIVOS, S.A. DE C.V." not in names  # Sentencia Favorable


def test_a_bad_mapping_or_file_is_said_before_anything_changes(app, session, world, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"source": {"name": "X"}, "columns": {"country": "C"}}))
    with pytest.raises(lists.MappingError, match="name"):
        lists.Mapping.read(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        json.dumps(
            {
                "source": {"name": "X", "sanction_type": "jail"},
                "columns": {"name": "N"},
                "country": "MX",
            }
        )
    )
    with pytest.raises(lists.MappingError, match="sanction_type"):
        lists.Mapping.read(wrong)
    with pytest.raises(lists.MappingError, match="cannot be read as utf-8"):
        run(app, session, DATA / "sat_69b_excerpt.csv", date(2022, 11, 30))


def test_the_command_prints_what_it_did(app, runner, session, world):
    result = runner.invoke(
        args=[
            "import-list",
            str(DATA / "idb_excerpt.csv"),
            "--mapping",
            str(DOCS / "idb.json"),
            "--published",
            "2025-06-30",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "40 rows:" in result.output and "new records" in result.output
    bad = runner.invoke(
        args=[
            "import-list",
            str(DATA / "idb_excerpt.csv"),
            "--mapping",
            str(DATA / "README.md"),
            "--published",
            "2025-06-30",
        ]
    )
    assert bad.exit_code != 0 and "Error" in bad.output


def test_the_entries_to_check_come_a_page_at_a_time_for_the_reviewers_country(
    client, session, world, make_agency
):
    """A long list leaves many entries to check: a page of them at a time, the count said, and
    a regulator sees only those proposed for agencies of its own country."""
    source = ListSource(name="Debarred recruiters (test)")
    mexican, guatemalan = (
        make_agency("Agencia Norte", country="MX"),
        make_agency("Agencia Sur", country="GT"),
    )
    session.add(source)
    session.flush()
    for n in range(1, 61):
        agency = mexican if n <= 55 else guatemalan
        entry = {"name": f"Entrada {n:02d}", "country": agency.country, "ref": f"R-{n}"}
        session.add(
            ListMatch(
                source_id=source.id,
                source_ref=f"R-{n}",
                line=n + 1,
                entry=json.dumps(entry),
                agency_id=agency.id,
            )
        )
    session.commit()
    log_in(client, "admin@example.org")
    first = client.get("/manage/list-matches", headers=EN).get_data(as_text=True)
    assert "60 entries wait." in first and "Page 1 of 2" in first
    assert "Entrada 01" in first and "Entrada 50" in first and "Entrada 51" not in first
    second = client.get("/manage/list-matches?page=2", headers=EN).get_data(as_text=True)
    assert "Entrada 51" in second and "Entrada 60" in second and "Entrada 01" not in second
    assert client.get("/manage/list-matches?page=x", headers=EN).status_code == 200
    client.post("/logout", data={"csrf_token": token(client, "/help")})
    log_in(client, "mx1@gov.example")
    mine = client.get("/manage/list-matches?page=2", headers=EN).get_data(as_text=True)
    assert "55 entries wait." in mine and "Entrada 51" in mine and "Entrada 56" not in mine
