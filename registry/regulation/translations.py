"""Translations of regulators' public texts (registry.public.texts shows them). Added or changed
by whoever may write the text itself, and audited. The caller commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from registry.audit.chain import append
from registry.models import Finding, PublicText, RedFlag, Sanction, User
from registry.public.texts import original
from registry.regulation.operations import RuleBroken, authorize
from registry.vocab import TEXT_LANGUAGES

RECORDS = {"sanction": Sanction, "finding": Finding, "red_flag": RedFlag}


def save(session: Session, *, actor: User, record, lang: str, text: str) -> PublicText:
    """Add or replace the record's public text in `lang`."""
    authorize(actor, "public_text.translate", record)
    text = text.strip()
    if lang not in TEXT_LANGUAGES:
        raise RuleBroken(_l("choose a language from the list"))
    if not original(record):
        raise RuleBroken(_l("there is no public text to translate yet"))
    if lang == record.lang:
        raise RuleBroken(
            _l("the text is already written in this language: change it where it was written")
        )
    entity = type(record).__tablename__
    found = session.exec(
        select(PublicText).where(
            PublicText.entity == entity, PublicText.entity_id == record.id, PublicText.lang == lang
        )
    ).first()
    before = {"lang": lang, "text": found.text} if found else {}
    found = found or PublicText(entity=entity, entity_id=record.id, lang=lang, text=text)
    found.text = text
    session.add(found)
    session.flush()
    append(
        session,
        actor=actor.email,
        actor_id=actor.id,
        action="public_text.update" if before else "public_text.add",
        entity=entity,
        entity_id=record.id,
        agency_id=record.agency_id,
        before=before,
        after={"lang": lang, "text": text},
    )
    return found
