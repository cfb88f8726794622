"""Regulators' public texts (sanction and finding summaries, red flags' public summaries) in the
visitor's language: the text as written when it is in that language, else a translation the
regulator added (registry.models.PublicText), else the text as written, saying its language."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale, gettext
from markupsafe import Markup, escape
from sqlmodel import Session, select

from registry.i18n import language_name
from registry.models import PublicText

FIELDS = {"sanction": "summary", "finding": "summary", "red_flag": "public_summary"}


def original(record: Any) -> str:
    return getattr(record, FIELDS[type(record).__tablename__])


def translations(session: Session, record: Any) -> dict[str, str]:
    rows = session.exec(
        select(PublicText).where(
            PublicText.entity == type(record).__tablename__, PublicText.entity_id == record.id
        )
    ).all()
    return {row.lang: row.text for row in rows}


def in_language(session: Session, record: Any, lang: str) -> tuple[str, str]:
    """(text, its language) to show a visitor reading `lang` ("" for the language: unknown)."""
    if not record.lang or record.lang == lang:
        return original(record), record.lang
    translated = translations(session, record).get(lang)
    if translated:
        return translated, lang
    return original(record), record.lang


def public_text(session: Session, record: Any) -> Markup:
    """The text as HTML: marked with its language, and saying which it is when it is not the
    visitor's."""
    lang = str(get_locale() or "es")
    text, shown = in_language(session, record, lang)
    if not shown or shown == lang:
        return (
            Markup(f'<span lang="{escape(shown or lang)}">{escape(text)}</span>')
            if shown
            else escape(text)
        )
    note = gettext("(written in %(language)s; no translation yet)", language=language_name(shown))
    return Markup(
        f'<span lang="{escape(shown)}">{escape(text)}</span> <em class="note">{escape(note)}</em>'
    )
