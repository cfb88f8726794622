"""Red flags: anonymous reports with receipts, NGO reports with evidence, regulators' review."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select
from support import EN, log_in, log_out, send_report, token

from registry.models import (
    Agency,
    DailyKey,
    EvidenceContent,
    EvidenceFile,
    LoginAttempt,
    RedFlag,
    ReportCounter,
)


def image_bytes(kind: str, size=(4, 4)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(200, 200)
    writer.write(out)
    return out.getvalue()


PNG = image_bytes("PNG")


def count(session, model):
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def test_anonymous_report_returns_a_receipt_that_follows_it(client, session, reports_world):
    agency = reports_world["agency"]
    form = client.get(f"/report?agency={agency.id}", headers=EN).get_data(as_text=True)
    assert 'value="Agencia Sierra Madre"' in form
    response = send_report(client, agency_id=str(agency.id), contact="whatsapp +52 55 0000 0000")
    page = response.get_data(as_text=True)
    code = re.search(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</strong>", page).group(1)
    flag = session.exec(select(RedFlag)).one()
    assert flag.agency_id == agency.id and flag.reporter_type == "public"
    assert flag.submitted_by_id is None and code not in flag.receipt_hash
    assert session.exec(select(LoginAttempt)).all() == []  # reports are not log-ins
    counters = session.exec(select(ReportCounter)).all()
    assert [c.count for c in counters] == [1] and "127.0.0.1" not in counters[0].key
    status = client.post(
        "/report/status",
        data={"code": code.lower(), "csrf_token": token(client, "/report/status")},
        headers=EN,
    )
    assert "Received" in status.get_data(as_text=True)


def test_honeypot_filled_saves_nothing(client, session, reports_world):
    response = send_report(client, website_url="http://spam.example")
    assert response.status_code == 400 and count(session, RedFlag) == 0


def test_rejected_report_keeps_what_was_typed(client, session, reports_world):
    response = send_report(client, description="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="Agencia Sierra Madre"' in page
    assert count(session, RedFlag) == 0


def test_public_reports_are_limited_per_connection(client, session, reports_world):
    for _ in range(5):
        assert send_report(client).status_code == 200
    assert send_report(client).status_code == 429
    assert count(session, RedFlag) == 5


def test_unknown_name_collects_under_a_reported_entity_not_public(
    client, session, reports_world, index_now
):
    send_report(client, name="Trabajos Canadá Express")
    send_report(client, name="TRABAJOS CANADA EXPRESS")
    reported = session.exec(select(Agency).where(Agency.listing == "reported")).one()
    assert len(reported.red_flags) == 2
    index_now()
    data = client.get("/api/v1/search?q=Trabajos+Canada+Express").get_json()
    assert data["outcome"] == "none"
    assert client.get(f"/agencies/{reported.id}").status_code == 404


def test_ngo_report_with_evidence_through_review(app, client, session, reports_world):
    log_in(client, "ngo@ngo.example")
    response = send_report(
        client,
        agency_id=str(reports_world["agency"].id),
        evidence=[(io.BytesIO(PNG), "receipt.png")],
    )
    assert response.status_code == 302
    flag = session.exec(select(RedFlag)).one()
    assert flag.reporter_type == "ngo" and flag.reporter_name == "Casa del Migrante"
    stored = session.exec(select(EvidenceFile)).one()
    assert session.get(EvidenceContent, stored.id).data == PNG  # every app server reads it
    assert stored.content_type == "image/png" and stored.size == len(PNG)
    assert not (Path(app.instance_path) / "evidence").exists()  # nothing on this server's disk
    assert "Received" in client.get("/ngo/reports", headers=EN).get_data(as_text=True)
    log_out(client)

    log_in(client, "b@ngo.example")  # another NGO sees nothing of it
    assert "Agencia Sierra Madre" not in client.get("/ngo/reports").get_data(as_text=True)
    assert client.get(f"/manage/evidence/{stored.id}").status_code == 403
    log_out(client)

    log_in(client, "mx1@gov.example")
    assert "Agencia Sierra Madre" in client.get("/manage/red-flags").get_data(as_text=True)
    download = client.get(f"/manage/evidence/{stored.id}")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"] == "attachment; filename=receipt.png"
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "private, no-store"
    download.close()
    url = f"/manage/red-flags/{flag.id}"
    bad = client.post(
        url,
        data={"state": "substantiated", "public_summary": "x", "csrf_token": token(client, url)},
        headers=EN,
    )
    assert (
        bad.status_code == 400
        and "cannot go from “Received” to “Substantiated”" in bad.get_data(as_text=True)
    )
    for state in ("under_review", "substantiated"):
        client.post(
            url,
            data={
                "state": state,
                "public_summary": "Charged a visa fee",
                "csrf_token": token(client, url),
            },
        )
    log_out(client)

    public = client.get(f"/agencies/{reports_world['agency'].id}", headers=EN).get_data(
        as_text=True
    )
    assert "Charged a visa fee" in public and "verdict-licensed_with_warnings" in public
    assert "Casa del Migrante" not in public and "ngo@ngo.example" not in public
    log_in(client, "ngo@ngo.example")
    assert "Substantiated" in client.get("/ngo/reports", headers=EN).get_data(as_text=True)


def test_init_db_moves_evidence_files_of_older_versions_into_the_database(
    app, session, reports_world, runner
):
    """Versions before 0010 wrote evidence to instance/evidence/: init-db moves each file whose
    digest matches into the database, deletes it from the disk, and tells of files this server
    does not have (another server received them) or whose bytes differ from what was received."""
    flag = RedFlag(
        agency_id=reports_world["agency"].id, category="fees", description="x", reporter_type="ngo"
    )
    session.add(flag)
    session.flush()
    folder = Path(app.instance_path) / "evidence"
    folder.mkdir(parents=True)
    (folder / "a1.png").write_bytes(PNG)
    (folder / "b2.png").write_bytes(PNG + b"changed")  # not what was received
    for name in ("a1.png", "b2.png", "c3.png"):  # c3: on another server's disk
        session.add(
            EvidenceFile(
                red_flag_id=flag.id,
                original_name=name,
                stored_name=name,
                content_type="image/png",
                size=len(PNG),
                sha256=hashlib.sha256(PNG).hexdigest(),
            )
        )
    session.commit()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "Moved 1 evidence files" in result.output
    assert "1 evidence files received by an older version are not on this server" in result.output
    assert "1 evidence files in instance/evidence/ differ from what was received" in result.output
    moved = session.exec(select(EvidenceFile).where(EvidenceFile.stored_name == "a1.png")).one()
    assert session.get(EvidenceContent, moved.id).data == PNG
    assert sorted(p.name for p in folder.iterdir()) == ["b2.png"]
    assert "Moved" not in runner.invoke(args=["init-db"]).output  # once


def test_evidence_of_the_wrong_type_is_refused(client, session, reports_world):
    log_in(client, "ngo@ngo.example")
    response = send_report(client, evidence=[(io.BytesIO(b"MZ\x90\x00evil"), "photo.png")])
    assert response.status_code == 400
    assert "photo.png: only PDF, JPEG, PNG or WebP files are accepted" in response.get_data(
        as_text=True
    )
    spanish = send_report(
        client,
        headers={"Accept-Language": "es"},
        evidence=[(io.BytesIO(b"MZ\x90\x00evil"), "photo.png")],
    )
    assert "photo.png: solo se aceptan archivos PDF, JPEG, PNG o WebP" in spanish.get_data(
        as_text=True
    )
    assert count(session, RedFlag) == 0 and count(session, EvidenceFile) == 0
    assert count(session, EvidenceContent) == 0


@pytest.mark.parametrize(
    "name, data",
    [
        ("evil.exe", b"%PDF-1.7\n" + b"MZ\x90\x00 not a document at all" * 50),
        ("scan.pdf", pdf_bytes()[:-120]),  # cut short: no trailer
        ("photo.png", image_bytes("PNG") + b"MZ\x90\x00evil"),  # a program appended to a photo
        ("photo.jpg", image_bytes("JPEG", (64, 64))[:-200]),  # truncated
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # the signature and nothing else
        ("photo.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8),
    ],
)
def test_evidence_is_checked_whole_not_by_its_first_bytes(
    client, session, reports_world, name, data
):
    log_in(client, "ngo@ngo.example")
    response = send_report(client, evidence=[(io.BytesIO(data), name)])
    assert response.status_code == 400
    assert f"{name}: only PDF, JPEG, PNG or WebP files are accepted" in response.get_data(
        as_text=True
    )
    assert count(session, RedFlag) == 0 and count(session, EvidenceFile) == 0


@pytest.mark.parametrize(
    "name, data, content_type, served_as",
    [
        ("evil.exe", pdf_bytes(), "application/pdf", "evil.pdf"),
        ("contrato", pdf_bytes(), "application/pdf", "contrato.pdf"),
        ("recibo.pdf", image_bytes("JPEG", (32, 32)), "image/jpeg", "recibo.jpg"),
        ("chat.webp", image_bytes("WEBP", (32, 32)), "image/webp", "chat.webp"),
    ],
)
def test_evidence_is_served_under_the_extension_of_its_real_type(
    client, session, reports_world, name, data, content_type, served_as
):
    log_in(client, "ngo@ngo.example")
    assert (
        send_report(
            client, agency_id=str(reports_world["agency"].id), evidence=[(io.BytesIO(data), name)]
        ).status_code
        == 302
    )
    stored = session.exec(select(EvidenceFile)).one()
    assert stored.content_type == content_type and stored.original_name == name
    log_out(client)
    log_in(client, "mx1@gov.example")
    download = client.get(f"/manage/evidence/{stored.id}")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Type"] == content_type
    assert download.headers["Content-Disposition"] == f"attachment; filename={served_as}"
    download.close()


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(
    client, session, reports_world
):
    """55 MB on the report form (five files of 10 MB), a megabyte elsewhere: a clear 413 page,
    nothing saved."""
    log_in(client, "ngo@ngo.example")
    body = (
        b'--x\r\nContent-Disposition: form-data; name="evidence"; filename="v.png"\r\n'
        b"\r\n" + b"\x00" * (56 * 1024 * 1024) + b"\r\n--x--\r\n"
    )
    big = client.post(
        "/report", data=body, headers=EN, content_type="multipart/form-data; boundary=x"
    )
    assert big.status_code == 413
    page = big.get_data(as_text=True)
    assert "What you sent is too large" in page and "at most 5 files of up to 10 MB" in page
    assert count(session, RedFlag) == 0
    login = client.post(
        "/login", data={"email": "x@example.org", "password": "x" * 2_000_000}, headers=EN
    )
    assert login.status_code == 413
    api = client.post("/api/v1/search", data=b"x" * 2_000_000)
    assert api.status_code in (405, 413)


def test_no_record_ties_a_report_to_an_address(client, session, reports_world, monkeypatch):
    """A counter per address and day, keyed by a random key of that day (not the app's secret):
    no time, no row per report; once the day is over, its key and counters are gone."""
    import hashlib
    import hmac
    from datetime import timedelta

    from registry.reports import limits

    for _ in range(2):
        assert send_report(client).status_code == 200
    send_report(client, address="203.0.113.9")
    counters = session.exec(select(ReportCounter).order_by(ReportCounter.count)).all()
    assert sorted(c.count for c in counters) == [1, 2]
    assert set(ReportCounter.model_fields) == {"key", "day", "count"}
    secret = client.application.config["SECRET_KEY"]
    for address in ("127.0.0.1", "203.0.113.9"):  # the app's secret does not find it
        for guess in (
            hashlib.sha256(f"{secret}|{date.today()}|{address}".encode()).hexdigest(),
            hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest(),
        ):
            assert guess not in {c.key for c in counters}
    tomorrow = date.today() + timedelta(days=1)
    monkeypatch.setattr(limits, "today", lambda: tomorrow)
    send_report(client)
    session.expire_all()
    assert [k.day for k in session.exec(select(DailyKey)).all()] == [tomorrow]
    assert [(c.day, c.count) for c in session.exec(select(ReportCounter)).all()] == [(tomorrow, 1)]
