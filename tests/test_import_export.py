"""import-agencies / export-agencies through the real CLI, database and index."""

from __future__ import annotations

import csv
import hashlib
import json

from sqlmodel import func, select

from registry.models import Agency, AuditEntry, IndexOutbox, Licence
from registry.search import get_index

HEADER = (
    "name,kind,country,licence_number,status,aliases,valid_from,valid_until,authority,"
    "address,city,phone,email,website\n"
)
GOOD = [
    "Agencia Uno S.A. de C.V.,agency,MX,MX-001,active,Uno Empleos|Agencia 1,2024-01-01,"
    "2099-12-31,Secretaría de Trabajo,Calle 1,Monterrey,+52 81 1111 2222,uno@uno.example,"
    "https://uno.example",
    "Consultor Dos,consultant,GT,,,,,,,,,,,",
    "Agencia Tres Ltda.,,CO,CO-3,suspended,,,,Ministerio del Trabajo,,,,,",
]


def write(tmp_path, lines, name="agencies.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_import_creates_agencies_licences_and_index(app, runner, session, tmp_path):
    result = runner.invoke(args=["import-agencies", str(write(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    assert "3 new agencies" in result.output
    assert count(session, Agency) == 3 and count(session, Licence) == 2
    uno = session.exec(select(Agency).where(Agency.name.startswith("Agencia Uno"))).one()
    assert sorted(n.name for n in uno.names) == ["Agencia 1", "Uno Empleos"]
    assert sorted(uno.contact_values("website")) == ["https://uno.example"]
    assert count(session, IndexOutbox) == 0
    with app.app_context():
        assert get_index().doc_count() == 3
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.action for e in entries] == ["agency.import"] * 3 + ["import.agencies"]
    assert {e.agency_id for e in entries[:3]} == {a.id for a in session.exec(select(Agency))}
    assert '"MX-001 active 2024-01-01-2099-12-31"' in entries[0].after
    summary = json.loads(entries[-1].after)
    assert entries[-1].actor.startswith("cli:")
    assert summary["sha256"] == hashlib.sha256(write(tmp_path, GOOD).read_bytes()).hexdigest()
    assert (summary["created"], summary["changed"], summary["rejected"]) == (3, 0, 0)


def test_importing_twice_changes_nothing(runner, session, tmp_path):
    path = write(tmp_path, GOOD)
    runner.invoke(args=["import-agencies", str(path)])
    before = {a.id: a.updated_at for a in session.exec(select(Agency)).all()}
    result = runner.invoke(args=["import-agencies", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 new agencies" in result.output
    session.expire_all()
    assert {a.id: a.updated_at for a in session.exec(select(Agency)).all()} == before
    assert count(session, Licence) == 2


def test_reimport_updates_a_status(runner, session, tmp_path):
    runner.invoke(args=["import-agencies", str(write(tmp_path, GOOD))])
    changed = [GOOD[0].replace(",active,", ",revoked,"), *GOOD[1:]]
    runner.invoke(args=["import-agencies", str(write(tmp_path, changed, "v2.csv"))])
    licence = session.exec(select(Licence).where(Licence.number == "MX-001")).one()
    assert licence.status == "revoked"
    assert count(session, Agency) == 3


def test_invalid_rows_abort_everything_with_line_numbers(runner, session, tmp_path):
    rows = [
        GOOD[0],
        "Sin País,agency,XX,,,,,,,,,,,",
        GOOD[1],
        "Mala Fecha,agency,MX,MX-9,active,,2024-13-01,,,,,,,",
        "Sin Estado,agency,MX,MX-10,,,,,,,,,,",
    ]
    result = runner.invoke(args=["import-agencies", str(write(tmp_path, rows))])
    assert result.exit_code != 0
    assert "line 3: country 'XX' is not an ISO 3166-1 alpha-2 code" in result.output
    assert "line 5: valid_from '2024-13-01' is not a date" in result.output
    assert "line 6: status is required when a licence number is given" in result.output
    assert "nothing was imported" in result.output
    assert count(session, Agency) == 0


def test_skip_invalid_imports_the_rest_and_writes_rejects(runner, session, tmp_path):
    rows = [GOOD[0], "Bad Kind,robot,MX,,,,,,,,,,,"]
    path = write(tmp_path, rows)
    result = runner.invoke(args=["import-agencies", str(path), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert count(session, Agency) == 1
    with (tmp_path / "agencies.rejects.csv").open(encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert rejects[0]["line"] == "3" and rejects[0]["name"] == "Bad Kind"
    assert "kind 'robot'" in rejects[0]["errors"]


def test_same_licence_for_two_names_is_rejected(runner, tmp_path):
    rows = [GOOD[0], "Otra Agencia,agency,MX,mx 001,active,,,,,,,,,"]
    result = runner.invoke(args=["import-agencies", str(write(tmp_path, rows))])
    assert result.exit_code != 0
    assert (
        "line 3: licence_number 'mx 001' is already given to another name on line 2"
        in result.output
    )


def test_missing_header_column_is_reported(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("nombre,pais\nX,MX\n", encoding="utf-8")
    result = runner.invoke(args=["import-agencies", str(path)])
    assert result.exit_code != 0 and "line 1" in result.output


def test_not_utf8_is_reported(runner, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "Compañía Ñandú,agency,MX,,,,,,,,,,,\n").encode("cp1252"))
    result = runner.invoke(args=["import-agencies", str(path)])
    assert result.exit_code != 0 and "not UTF-8" in result.output


def test_export_then_import_round_trips(runner, session, tmp_path, app):
    runner.invoke(args=["import-agencies", str(write(tmp_path, GOOD))])
    exported = tmp_path / "out.csv"
    assert runner.invoke(args=["export-agencies", str(exported)]).exit_code == 0
    with exported.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    assert {r["licence_number"] for r in rows} == {"MX-001", "", "CO-3"}
    uno = next(r for r in rows if r["licence_number"] == "MX-001")
    assert uno["aliases"] == "Uno Empleos|Agencia 1" and uno["authority"] == "Secretaría de Trabajo"
    result = runner.invoke(args=["import-agencies", str(exported)])
    assert "0 new agencies" in result.output


def test_an_unterminated_quote_is_one_bad_line_not_the_rest_of_the_file(runner, session, tmp_path):
    rows = [GOOD[0], '"Agencia Sin Cierre,agency,MX,,,,,,,,,,,', GOOD[1], GOOD[2]]
    result = runner.invoke(args=["import-agencies", "--skip-invalid", str(write(tmp_path, rows))])
    assert result.exit_code == 0, result.output
    assert "3 row(s) read, 3 new agencies, 0 changed, 1 rejected" in result.output
    rejects = (tmp_path / "agencies.rejects.csv").read_text(encoding="utf-8")
    assert "3,a quote opened on this line is not closed" in rejects


def test_extra_and_missing_columns_are_reported_by_line(runner, session, tmp_path):
    rows = [GOOD[0], "Agencia Cinco,agency,MX,,,,,,,,,,,,extra", "Agencia Seis,agency,MX"]
    result = runner.invoke(args=["import-agencies", str(write(tmp_path, rows))])
    assert result.exit_code != 0
    assert "line 3: 15 values, where the header has 14 columns" in result.output
    assert "line 4: 3 values, where the header has 14 columns" in result.output
    assert count(session, Agency) == 0


def test_invalid_utf8_is_reported_by_line_and_the_other_lines_still_read(runner, session, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        HEADER.encode()
        + (GOOD[1] + "\n").encode()
        + "Compañía Ñandú,agency,MX,,,,,,,,,,,\n".encode("cp1252")
        + (GOOD[2] + "\n").encode()
    )
    result = runner.invoke(args=["import-agencies", str(path)])
    assert result.exit_code != 0
    assert "line 3: not UTF-8 (byte 0xF1 at column 6)" in result.output
    result = runner.invoke(args=["import-agencies", "--skip-invalid", str(path)])
    assert "2 new agencies" in result.output and count(session, Agency) == 2


def test_a_licence_number_that_folds_to_anothers_is_refused_not_applied(runner, session, tmp_path):
    first = "Importadora Uno,agency,MX,IMPZ-1-11,active,,,,,,,,,"
    runner.invoke(args=["import-agencies", str(write(tmp_path, [first], "a.csv"))])
    second = "Importadora Dos,agency,MX,IMPZ-11-1,active,,,,,,,,,"
    result = runner.invoke(args=["import-agencies", str(write(tmp_path, [second], "b.csv"))])
    assert result.exit_code != 0
    assert (
        "line 2: licence_number 'IMPZ-11-1' is recorded as 'IMPZ-1-11' for 'Importadora Uno'"
    ) in result.output
    session.expire_all()
    agency = session.exec(select(Agency)).one()
    assert agency.name == "Importadora Uno" and agency.licences[0].number == "IMPZ-1-11"
    same = "Importadora Uno,agency,MX,impz 1 11,suspended,,,,,,,,,"  # the same agency
    result = runner.invoke(args=["import-agencies", str(write(tmp_path, [same], "c.csv"))])
    assert result.exit_code == 0, result.output
    session.expire_all()
    licence = session.exec(select(Licence)).one()
    assert (licence.number, licence.status) == ("IMPZ-1-11", "suspended")


def test_a_name_an_import_replaces_is_kept_as_a_former_name(runner, session, tmp_path, app):
    runner.invoke(args=["import-agencies", str(write(tmp_path, [GOOD[0]], "a.csv"))])
    renamed = GOOD[0].replace("Agencia Uno S.A. de C.V.", "Uno Talento Global")
    result = runner.invoke(args=["import-agencies", str(write(tmp_path, [renamed], "b.csv"))])
    assert "0 new agencies, 1 changed" in result.output
    agency = session.exec(select(Agency)).one()
    session.refresh(agency)
    assert agency.name == "Uno Talento Global"
    assert ("Agencia Uno S.A. de C.V.", "former") in {(n.name, n.type) for n in agency.names}
    entry = session.exec(
        select(AuditEntry)
        .where(AuditEntry.action == "agency.import")
        .order_by(AuditEntry.seq.desc())
    ).first()
    assert json.loads(entry.before)["name"] == "Agencia Uno S.A. de C.V."
    assert json.loads(entry.after)["name"] == "Uno Talento Global"
    found = app.test_client().get("/api/v1/search?q=Agencia+Uno+SA+de+CV").get_json()
    assert found["results"][0]["name"] == "Uno Talento Global"
