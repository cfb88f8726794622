"""Small helpers shared by the forms of every area."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import get_locale
from markupsafe import Markup
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class FixedSelect(Select):
    """A select whose options are the same in every request in one language (the search
    filters, on every results page): its markup is rendered once per language, field and value
    chosen, instead of option by option each time (the countries' list shows in a page's
    time)."""

    KEPT = 2_000  # renderings kept; the values typed into a URL are not all worth keeping

    def __init__(self, multiple: bool = False):
        super().__init__(multiple)
        self._rendered: dict[tuple, Markup] = {}

    def __call__(self, field, **kwargs) -> Markup:
        key = (
            str(get_locale()),
            field.id,
            field.name,
            str(field.data),
            tuple(sorted(kwargs.items())),
        )
        markup = self._rendered.get(key)
        if markup is None:
            markup = super().__call__(field, **kwargs)
            if len(self._rendered) < self.KEPT:
                self._rendered[key] = markup
        return markup


def text_language_field(label) -> SelectField:
    """The language a public text is written in: the visitor's own by default; any language
    a public text may be shown in (vocab.TEXT_LANGUAGES), each named in the visitor's language."""
    from registry.i18n import language_name
    from registry.vocab import TEXT_LANGUAGES

    return SelectField(
        label,
        default=lambda: str(get_locale() or "es"),
        choices=lambda: [(code, language_name(code)) for code in TEXT_LANGUAGES],
    )
