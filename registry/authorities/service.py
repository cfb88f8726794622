"""Recording and changing authorities, and finding one by what people type. The caller commits."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from registry.audit.chain import append
from registry.countries import is_country
from registry.ids import to_id
from registry.models import Authority, User
from registry.vocab import AUTHORITY_KINDS

FIELDS = (
    "code",
    "name",
    "country",
    "kind",
    "station",
    "website",
    "contact",
    "email",
    "phone",
    "languages",
)
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


class AuthorityError(ValueError):
    """What is wrong with the authority as given (a lazy string, for the person who typed it)."""


def find(session: Session, reference: str) -> Authority | None:
    """An authority by its id or its code (as `create-user --authority` takes it)."""
    reference = reference.strip()
    if to_id(reference) is not None:
        found = session.get(Authority, to_id(reference))
        if found is not None:
            return found
    return (
        session.exec(select(Authority).where(Authority.code == reference)).first()
        or session.exec(select(Authority).where(Authority.code == reference.upper())).first()
    )


def _languages(text: str) -> str:
    codes = [c.strip().lower() for c in re.split(r"[,\s]+", text or "") if c.strip()]
    if any(not re.fullmatch(r"[a-z]{2,3}", c) for c in codes):
        raise AuthorityError(
            _l("give languages as two-letter codes separated by commas, for example: es, en")
        )
    return ",".join(dict.fromkeys(codes))


def save(
    session: Session, *, actor: User | None, authority: Authority | None = None, **values: str
) -> Authority:
    """Create an authority (`authority` None) or change one; audited as the actor (None: cli)."""
    code = (values.get("code") or "").strip().upper() or None
    if code is not None and not CODE.match(code):
        raise AuthorityError(_l("a code has letters, digits, dots, dashes or underscores only"))
    country = (values.get("country") or "").strip().upper()
    if not is_country(country):
        raise AuthorityError(_l("choose the authority's country"))
    kind = (values.get("kind") or "licensing").strip()
    if kind not in AUTHORITY_KINDS:
        raise AuthorityError(_l("choose what kind of authority it is"))
    station = (values.get("station") or "").strip().upper() if kind == "consulate" else ""
    if kind == "consulate" and (not is_country(station) or station == country):
        raise AuthorityError(
            _l("say in which other country the consulate or labour attaché is stationed")
        )
    if code is not None:
        taken = session.exec(select(Authority).where(Authority.code == code)).first()
        if taken is not None and taken is not authority:
            raise AuthorityError(
                _l("the code %(code)s is already used by %(name)s", code=code, name=taken.name)
            )
    cleaned = {
        **{k: (values.get(k) or "").strip() for k in FIELDS},
        "code": code,
        "country": country,
        "kind": kind,
        "station": station,
        "languages": _languages(values.get("languages", "")),
    }
    if not cleaned["name"]:
        raise AuthorityError(_l("give the authority's name"))
    before = {k: getattr(authority, k) for k in FIELDS} if authority is not None else {}
    authority = authority or Authority(name=cleaned["name"], country=country)
    for key, value in cleaned.items():
        setattr(authority, key, value)
    session.add(authority)
    session.flush()
    append(
        session,
        actor=actor.email if actor else "cli",
        actor_id=actor.id if actor else None,
        action="authority.update" if before else "authority.create",
        entity="authority",
        entity_id=authority.id,
        agency_id=None,
        before=before,
        after={k: getattr(authority, k) for k in FIELDS},
    )
    return authority
