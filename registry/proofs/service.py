"""Issuing and finding proofs of a check. The caller commits."""

from __future__ import annotations

import base64
import io
import json
import secrets
from collections.abc import Callable
from datetime import date

import segno
from markupsafe import Markup
from sqlmodel import Session, select

from registry.models import Agency, ProofOfCheck
from registry.verdict import Verdict

CODE_LENGTH = 16  # base32 of 10 random bytes: 80 bits, not guessable


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(10)).decode()


def normalised(code: str) -> str:
    """What people type or the QR code carries: case, dashes and spaces do not matter."""
    return "".join(c for c in code.upper() if c.isalnum())[:CODE_LENGTH]


def shown(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue(
    session: Session,
    *,
    agency: Agency,
    verdict: Verdict,
    on: date,
    lang: str,
    gettext: Callable[[str], str],
    date_format: Callable[[date], str],
    country_name: Callable[[str], str],
) -> ProofOfCheck:
    """The proof of today's check of `agency` in `lang`: the same one for every check of the
    same day, language and verdict (printing twice makes no new record)."""
    found = session.exec(
        select(ProofOfCheck).where(
            ProofOfCheck.agency_id == agency.id,
            ProofOfCheck.checked_on == on,
            ProofOfCheck.lang == lang,
            ProofOfCheck.verdict == verdict.code,
        )
    ).first()
    if found is not None:
        return found
    snapshot = {
        "name": agency.name,
        "country": agency.country,
        "summary": verdict.summary(gettext),
        "reasons": [
            {"text": r.text(gettext, date_format), "tone": r.tone} for r in verdict.reasons
        ],
        "standings": [s.text(gettext, date_format, country_name) for s in verdict.standings],
    }
    proof = ProofOfCheck(
        code=new_code(),
        agency_id=agency.id,
        verdict=verdict.code,
        lang=lang,
        checked_on=on,
        snapshot=json.dumps(snapshot, ensure_ascii=False),
    )
    session.add(proof)
    return proof


def by_code(session: Session, code: str) -> ProofOfCheck | None:
    code = normalised(code)
    if len(code) != CODE_LENGTH:
        return None
    return session.exec(select(ProofOfCheck).where(ProofOfCheck.code == code)).first()


def qr_svg(url: str) -> Markup:
    """The QR code of `url` as inline SVG (no image request, no script: the CSP stays strict)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, xmldecl=False, svgns=True, title="QR", svgclass="qr"
    )
    return Markup(out.getvalue().decode())  # noqa: S704 - segno's own SVG, from our own URL
