from __future__ import annotations

from functools import cache

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.validators import Length, Optional

from registry.countries import every_country_choice
from registry.formtools import FixedSelect, choices
from registry.search.matching import MAX_QUERY
from registry.vocab import AGENCY_KINDS, VERDICTS


class SearchForm(Form):
    """The lookup form. It is read from the query string (GET), so it carries no CSRF token."""

    q = StringField(
        _l("Name, licence number, phone or website"),
        validators=[Optional(), Length(max=MAX_QUERY)],
    )
    country = SelectField(_l("Country"), validators=[Optional()], widget=FixedSelect())
    kind = SelectField(_l("Kind"), validators=[Optional()], widget=FixedSelect())
    verdict = SelectField(_l("Status"), validators=[Optional()], widget=FixedSelect())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices, self.kind.choices, self.verdict.choices = _filter_choices(
            str(get_locale())
        )


@cache  # one set per language: the form is built for every lookup
def _filter_choices(_locale: str) -> tuple[tuple, tuple, tuple]:
    """The filters' choices, translated into the request's language (the cache key)."""
    return (
        tuple(choices([("", gettext("Any country"))] + every_country_choice())),
        tuple(
            choices(
                [("", gettext("Any kind"))] + [(k, gettext(v)) for k, v in AGENCY_KINDS.items()]
            )
        ),
        tuple(
            choices([("", gettext("Any status"))] + [(k, gettext(v)) for k, v in VERDICTS.items()])
        ),
    )
