"""Open data: the daily dump of the public register (nothing private in it, the audit head
with it) and the changes since a given time, for mirrors."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

from sqlmodel import Session, select

from registry.audit.chain import head
from registry.models import Agency
from registry.opendata import dumps


def read_dump(path):
    with zipfile.ZipFile(path) as archive:
        files = {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
            if name.endswith(".csv")
        }
        lines = [json.loads(x) for x in archive.read("agencies.jsonl").decode().splitlines()]
        return files, lines, json.loads(archive.read("metadata.json"))


def test_the_dump_holds_the_public_register_and_nothing_private(app, client, session, world):
    flag = world["flag"]
    flag.state, flag.public_summary = "substantiated", "Charged visa fees (summary)"
    flag.contact, flag.reporter_name = "whatsapp +52 55 9999 8888", "Reporter Name"
    session.add(flag)
    session.commit()
    missing = client.get("/data/registry-latest.zip")  # not written yet: said, not a 5xx
    assert missing.status_code == 404 and "unos minutos" in missing.get_data(as_text=True)
    with Session(app.extensions["registry.engine"]) as reading:
        path = dumps.write(reading, dumps.folder_of(app), on=date(2026, 12, 5))
        anchor, _at = head(reading)
    files, lines, metadata = read_dump(path)
    names = {row["name"] for row in files["agencies.csv"]}
    assert "Agencia Sierra Madre" in names and "Sierra Madre Talentos" not in names  # reported
    assert [r["public_summary"] for r in files["red_flags.csv"]] == ["Charged visa fees (summary)"]
    with zipfile.ZipFile(path) as archive:
        raw = archive.read("agencies.jsonl").decode() + str(files)
    for secret in ("9999 8888", "Reporter Name", "Asked for a visa fee", "mx1@gov.example"):
        assert secret not in raw
    refs = {row["decision_ref"] for row in files["sanctions.csv"]}
    assert "W-1" in refs and "REV-1" not in refs  # not the one awaiting a second regulator
    assert metadata["audit_chain_head"] == str(anchor) and "CC BY 4.0" in metadata["licence"]
    assert metadata["counts"]["agencies"] == len(files["agencies.csv"]) == len(lines)
    sierra = next(a for a in lines if a["name"] == "Agencia Sierra Madre")
    assert sierra["verdict"] and [s["decision_ref"] for s in sierra["sanctions"]]
    download = client.get("/data/registry-latest.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert download.data[:2] == b"PK"
    download.close()
    assert "registry-2026-12-05.zip" in client.get("/data").get_data(as_text=True)


def test_only_the_last_dumps_are_kept(app, session, world):
    folder = dumps.folder_of(app)
    with Session(app.extensions["registry.engine"]) as reading:
        for day in range(1, dumps.KEEP + 3):
            dumps.write(reading, folder, on=date(2026, 11, day))
    dumps.keep_current(app).join(timeout=60)  # today's, then the oldest dropped
    kept = sorted(p.name for p in folder.glob("registry-*.zip"))
    assert len(kept) == dumps.KEEP and kept[-1] == f"registry-{date.today().isoformat()}.zip"
    assert not list(folder.glob(".*work"))


def test_a_mirror_follows_the_changes(client, session, world):
    first = client.get("/api/v1/changes").get_json()
    ids = [a["id"] for a in first["agencies"]]
    assert world["agency"].id in ids and world["reported"].id not in ids
    assert first["agencies"][0]["api_url"].endswith(f"/api/v1/agencies/{ids[0]}")
    again = client.get(first["next"]).get_json()
    assert again["agencies"] == []  # nothing changed since
    agency = session.get(Agency, world["second"].id)
    agency.city = "Nueva Ciudad"
    session.add(agency)
    session.commit()
    later = client.get(first["next"]).get_json()
    assert [a["id"] for a in later["agencies"]] == [world["second"].id]
    bad = client.get("/api/v1/changes?since=yesterday")
    assert bad.status_code == 400 and "ISO" in bad.get_json()["error"]["message"]
    assert client.get("/api/v1/changes?after=-1").status_code == 400


def test_a_page_of_changes_goes_on_where_the_last_ended(client, session, world, monkeypatch):
    from registry.opendata import views

    monkeypatch.setattr(views, "CHANGES_LIMIT", 2)
    seen, url = [], "/api/v1/changes"
    for _ in range(10):
        page = client.get(url).get_json()
        seen += [a["id"] for a in page["agencies"]]
        url = page["next"]
        if not page["more"]:
            break
    public = session.exec(select(Agency.id).where(Agency.listing == "registry")).all()
    assert sorted(seen) == sorted(public) and len(seen) == len(set(seen))
