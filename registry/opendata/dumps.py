"""The public register as one zip a day: CSV files (one per kind of record) and the same as JSON
Lines (one agency a line, its records nested), with a metadata file giving the time, the
licence for reuse, the counts and the audit chain's head at the time of writing.

Only what every agency page shows is written: public agencies (never a reported name no
regulator reviewed), their names, contacts, corridors, licences, sanctions in force or past
(never one awaiting a second regulator), findings and the public summaries of substantiated red
flags. Never a reporter, a red flag's own account, evidence, a watcher or an account.

The background worker writes today's dump when it is missing (`keep_current`), and keeps the
last KEEP; `flask --app registry write-dump` writes one at once."""

from __future__ import annotations

import csv
import json
import logging
import os
import threading
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from registry.agencies.records import public_sanctions
from registry.audit.chain import head
from registry.clock import today
from registry.models import Agency, Finding, Licence, Sanction, utcnow
from registry.verdict import evaluate

log = logging.getLogger(__name__)
KEEP = 7
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
PREFIX = "registry-"
BATCH = 1000

COLUMNS = {
    "agencies.csv": [
        "id",
        "name",
        "kind",
        "country",
        "address",
        "city",
        "verdict",
        "updated_at",
        "recruits_in",
        "places_in",
    ],
    "names.csv": ["agency_id", "name", "type"],
    "contacts.csv": ["agency_id", "type", "value"],
    "licences.csv": [
        "id",
        "agency_id",
        "number",
        "country",
        "authority",
        "class",
        "status",
        "valid_from",
        "valid_until",
        "conditions",
    ],
    "sanctions.csv": [
        "id",
        "agency_id",
        "type",
        "country",
        "authority",
        "decision_ref",
        "starts_on",
        "ends_on",
        "lifted_on",
        "appeal_state",
        "summary",
    ],
    "findings.csv": ["id", "agency_id", "authority", "reference", "decided_on", "summary"],
    "red_flags.csv": ["id", "agency_id", "category", "public_summary", "substantiated_on"],
}


def folder_of(app: Flask) -> Path:
    return Path(app.instance_path) / "data"


def latest(app: Flask) -> Path | None:
    found = sorted(folder_of(app).glob(f"{PREFIX}*.zip"))
    return found[-1] if found else None


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _agencies(session: Session) -> Iterator[Agency]:
    last = 0
    while True:
        batch = session.exec(
            select(Agency)
            .where(Agency.id > last, Agency.listing == "registry")
            .order_by(Agency.id)
            .limit(BATCH)
            .options(
                selectinload(Agency.names),
                selectinload(Agency.contacts),
                selectinload(Agency.corridors),
                selectinload(Agency.red_flags),
                selectinload(Agency.licences).joinedload(Licence.authority),
                selectinload(Agency.sanctions).joinedload(Sanction.authority),
                selectinload(Agency.sanctions).joinedload(Sanction.source),
                selectinload(Agency.findings).joinedload(Finding.authority),
            )
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].id
        session.expunge_all()


def records(agency: Agency, on: date) -> dict[str, list[list]]:
    """The rows of each CSV file for one agency."""
    verdict = evaluate(
        licences=agency.licences,
        sanctions=agency.sanctions,
        findings=agency.findings,
        red_flags=agency.red_flags,
        on=on,
    )
    return {
        "agencies.csv": [
            [
                agency.id,
                agency.name,
                agency.kind,
                agency.country,
                agency.address,
                agency.city,
                verdict.code,
                _iso(agency.updated_at),
                "|".join(agency.corridor_countries("origin")),
                "|".join(agency.corridor_countries("destination")),
            ]
        ],
        "names.csv": [[agency.id, n.name, n.type] for n in agency.names],
        "contacts.csv": [[agency.id, c.type, c.value] for c in agency.contacts],
        "licences.csv": [
            [
                lic.id,
                agency.id,
                lic.number,
                lic.country,
                lic.authority.name if lic.authority else "",
                lic.licence_class,
                lic.status,
                _iso(lic.valid_from),
                _iso(lic.valid_until),
                lic.conditions,
            ]
            for lic in agency.licences
        ],
        "sanctions.csv": [
            [
                s.id,
                agency.id,
                s.type,
                s.country,
                s.authority.name if s.authority else "",
                s.decision_ref,
                _iso(s.starts_on),
                _iso(s.ends_on),
                _iso(s.lifted_on),
                s.appeal_state,
                s.summary,
            ]
            for s in public_sanctions(agency)
        ],
        "findings.csv": [
            [
                f.id,
                agency.id,
                f.authority.name if f.authority else "",
                f.reference,
                _iso(f.decided_on),
                f.summary,
            ]
            for f in agency.findings
        ],
        "red_flags.csv": [
            [f.id, agency.id, f.category, f.public_summary, _iso(f.updated_at.date())]
            for f in agency.red_flags
            if f.state == "substantiated"
        ],
    }


def _as_json(rows: dict[str, list[list]]) -> dict:
    agency = dict(zip(COLUMNS["agencies.csv"], rows["agencies.csv"][0], strict=True))
    for name in COLUMNS:
        if name != "agencies.csv":
            agency[name.removesuffix(".csv")] = [
                {k: v for k, v in zip(COLUMNS[name], row, strict=True) if k != "agency_id"}
                for row in rows[name]
            ]
    return agency


def write(session: Session, folder: Path, on: date | None = None) -> Path:
    """Write the dump of `on` (today) into `folder`; return its path. One pass over the
    agencies writes every file beside the zip (a zip takes one member at a time), then the zip
    is made and renamed into place: a reader never sees half a file."""
    on = on or today()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{on.isoformat()}.zip"
    work = folder / f".{on.isoformat()}.{os.getpid()}.{threading.get_ident()}.work"
    work.mkdir(exist_ok=True)
    anchor, anchored_at = head(session)
    counts = dict.fromkeys(COLUMNS, 0)
    handles = {name: (work / name).open("w", encoding="utf-8", newline="") for name in COLUMNS}
    try:
        writers = {name: csv.writer(handle) for name, handle in handles.items()}
        for name, writer in writers.items():
            writer.writerow(COLUMNS[name])
        with (work / "agencies.jsonl").open("w", encoding="utf-8") as lines:
            for agency in _agencies(session):
                rows = records(agency, on)
                for name, found in rows.items():
                    writers[name].writerows(found)
                    counts[name] += len(found)
                lines.write(json.dumps(_as_json(rows), ensure_ascii=False) + "\n")
    finally:
        for handle in handles.values():
            handle.close()
    metadata = {
        "title": "Recruitment-integrity registry: the public register",
        "generated_at": utcnow().isoformat(),
        "as_of": on.isoformat(),
        "licence": LICENCE,
        "provenance": (
            "Recorded by the licensing regulators, labour inspectorates and consulates that use "
            "the registry, and by the imports they ran; each record's authority is named in it."
        ),
        "audit_chain_head": str(anchor),
        "audit_chain_head_at": anchored_at.isoformat() if anchored_at else None,
        "counts": {name.removesuffix(".csv"): count for name, count in counts.items()},
        "files": {name: COLUMNS[name] for name in COLUMNS}
        | {
            "agencies.jsonl": "one agency a "
            "line, its names, contacts, licences, sanctions, findings and red flags nested"
        },
    }
    (work / "metadata.json").write_text(json.dumps(metadata, indent=2, ensure_ascii=False))
    partial = work / "dump.zip"
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ["metadata.json", *COLUMNS, "agencies.jsonl"]:
            archive.write(work / name, arcname=name)
    partial.replace(target)
    for leftover in work.iterdir():
        leftover.unlink()
    work.rmdir()
    return target


_writing = threading.Lock()


def keep_current(app: Flask) -> threading.Thread | None:
    """Start writing today's dump in a thread of its own unless it is there or being written
    (a dump of a million agencies takes minutes: the worker's loop must not wait for it), then
    keep the last KEEP. Several processes may write at once: each in its own work folder, and
    the rename into place leaves a whole file whichever comes last."""
    folder = folder_of(app)
    if (folder / f"{PREFIX}{today().isoformat()}.zip").exists():
        return None
    if not _writing.acquire(blocking=False):
        return None

    def run() -> None:
        try:
            with app.app_context(), Session(app.extensions["registry.engine"]) as session:
                write(session, folder)
            for old in sorted(folder.glob(f"{PREFIX}*.zip"))[:-KEEP]:
                old.unlink(missing_ok=True)
        except Exception:  # noqa: BLE001 - logged; tried again on the worker's next turn
            log.exception("writing the open data dump failed")
        finally:
            _writing.release()

    thread = threading.Thread(target=run, name="registry-dump", daemon=True)
    thread.start()
    return thread
