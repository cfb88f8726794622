"""Evidence files: type checked by content, size limited, stored outside the web root."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# Recognised by their first bytes, whatever the file name says.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


class EvidenceRejected(ValueError):
    """The file is not accepted; the message says why."""


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


def store(directory: Path, original_name: str, data: bytes) -> StoredFile:
    """Check one upload and write it under a random name in `directory`."""
    if not data:
        raise EvidenceRejected(f"{original_name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise EvidenceRejected(f"{original_name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    kind = kind_of(data[:16])
    if kind is None:
        raise EvidenceRejected(f"{original_name}: only PDF, JPEG, PNG or WebP files are accepted")
    content_type, extension = kind
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = secrets.token_hex(16) + extension
    (directory / stored_name).write_bytes(data)
    return StoredFile(original_name[:200], stored_name, content_type, len(data),
                      hashlib.sha256(data).hexdigest())
