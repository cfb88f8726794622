"""Evidence files: read whole by a parser made for their type (pypdf, Pillow), size limited,
kept in the database (never under the web root, and the same on every app server)."""

from __future__ import annotations

import hashlib
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from PIL import Image
from pypdf import PdfReader
from sqlmodel import Session, select

from registry.models import EvidenceContent, EvidenceFile

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_PIXELS = 50_000_000  # a phone's photo is 12 to 50 megapixels; beyond, a decompression bomb
# What is accepted: a PDF document or a photo, by what the whole file is (its parser reads it),
# whatever its name says. The extension it is stored and served under is its real type's.
KINDS = {
    "PDF": ("application/pdf", ".pdf"),
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "WEBP": ("image/webp", ".webp"),
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


def _pdf(data: bytes) -> bool:
    """A PDF that pypdf reads through: its cross-reference table, trailer and every page."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted:
                return False
            return len(reader.pages) > 0 and all(page.mediabox for page in reader.pages)
    except Exception:  # noqa: BLE001 - whatever the parser trips on, the file is not a PDF
        return False


def _image(data: bytes) -> str | None:
    """The format of an image Pillow decodes whole (PNG, JPEG or WebP), else None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=["PNG", "JPEG", "WEBP"]) as image:
                if image.width * image.height > MAX_PIXELS:
                    return None
                image.verify()  # checksums and structure
            with Image.open(BytesIO(data), formats=["PNG", "JPEG", "WEBP"]) as image:
                image.load()  # and every pixel decodes
                return image.format
    except Exception:  # noqa: BLE001 - truncated, corrupt, a bomb, or not an image at all
        return None


def _ends_where_it_should(kind: str, data: bytes) -> bool:
    """Nothing hidden after the image (a program appended to a photo)."""
    if kind == "PNG":
        return data.endswith(b"IEND\xaeB`\x82")
    if kind == "JPEG":
        return data.rstrip(b"\x00").endswith(b"\xff\xd9")
    if kind == "WEBP":
        return int.from_bytes(data[4:8], "little") + 8 in (len(data), len(data) - 1)
    return True


def kind_of(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an accepted file, read whole; None if it is not one."""
    if data.startswith(b"%PDF-"):
        return KINDS["PDF"] if _pdf(data) else None
    kind = _image(data)
    if kind is None or not _ends_where_it_should(kind, data):
        return None
    return KINDS[kind]


def download_name(original_name: str, stored_name: str) -> str:
    """The name a file is served under: what the reporter called it, with the extension of what
    it really is ("evil.exe" holding a PDF is served as "evil.pdf")."""
    stem = Path(original_name.replace("\\", "/")).name.rsplit(".", 1)[0].strip() or "evidence"
    return stem[:100] + Path(stored_name).suffix


def accept(original_name: str, data: bytes) -> StoredFile:
    """Check one upload; what to record of it (its bytes go in EvidenceContent)."""
    if not data:
        raise EvidenceRejected(_l("%(file)s: the file is empty", file=original_name))
    if len(data) > MAX_BYTES:
        raise EvidenceRejected(
            _l(
                "%(file)s: larger than %(size)d MB",
                file=original_name,
                size=MAX_BYTES // (1024 * 1024),
            )
        )
    kind = kind_of(data)
    if kind is None:
        raise EvidenceRejected(
            _l("%(file)s: only PDF, JPEG, PNG or WebP files are accepted", file=original_name)
        )
    content_type, extension = kind
    return StoredFile(
        original_name[:200],
        secrets.token_hex(16) + extension,
        content_type,
        len(data),
        hashlib.sha256(data).hexdigest(),
    )


class Moved(NamedTuple):
    moved: int  # now in the database, deleted from the disk
    absent: int  # not on this server's disk (another server received them)
    differing: int  # on the disk, but not what was received (left where they are)


def move_into_database(session: Session, directory: Path) -> Moved:
    """Move the files that versions before 0010 wrote to `directory` into the database. Each
    file is checked against the digest recorded when it was received, committed, and only then
    deleted from the disk."""
    moved = absent = differing = 0
    without_content = (
        select(EvidenceFile)
        .where(EvidenceFile.id.not_in(select(EvidenceContent.evidence_file_id)))
        .order_by(EvidenceFile.id)
    )
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
