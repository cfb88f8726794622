"""Evidence files: type checked by content, size limited, kept in the database (never under the
web root, and the same on every app server)."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from registry.models import EvidenceContent, EvidenceFile

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# Recognised by their first bytes, whatever the file name says.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


class EvidenceRejected(ValueError):
    """The file is not accepted; the message (a lazy string, as RuleBroken's) says why."""


@dataclass
class StoredFile:
    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def kind_of(head: bytes) -> tuple[str, str] | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def accept(original_name: str, data: bytes) -> StoredFile:
    """Check one upload; what to record of it (its bytes go in EvidenceContent)."""
    if not data:
        raise EvidenceRejected(_l("%(file)s: the file is empty", file=original_name))
    if len(data) > MAX_BYTES:
        raise EvidenceRejected(_l("%(file)s: larger than %(size)d MB", file=original_name,
                                  size=MAX_BYTES // (1024 * 1024)))
    kind = kind_of(data[:16])
    if kind is None:
        raise EvidenceRejected(_l("%(file)s: only PDF, JPEG, PNG or WebP files are accepted",
                                  file=original_name))
    content_type, extension = kind
    return StoredFile(original_name[:200], secrets.token_hex(16) + extension, content_type,
                      len(data), hashlib.sha256(data).hexdigest())


class Moved(NamedTuple):
    moved: int      # now in the database, deleted from the disk
    absent: int     # not on this server's disk (another server received them)
    differing: int  # on the disk, but not what was received (left where they are)


def move_into_database(session: Session, directory: Path) -> Moved:
    """Move the files that versions before 0010 wrote to `directory` into the database. Each
    file is checked against the digest recorded when it was received, committed, and only then
    deleted from the disk."""
    moved = absent = differing = 0
    without_content = (select(EvidenceFile)
                       .where(EvidenceFile.id.not_in(select(EvidenceContent.evidence_file_id)))
                       .order_by(EvidenceFile.id))
    for stored in session.exec(without_content).all():
        path = directory / stored.stored_name
        if not path.is_file():
            absent += 1
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != stored.sha256:
            differing += 1
            continue
        session.add(EvidenceContent(evidence_file_id=stored.id, data=data))
        session.commit()
        path.unlink()
        moved += 1
    return Moved(moved, absent, differing)
