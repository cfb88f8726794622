from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.validators import Length, Optional

from registry.vocab import AGENCY_KINDS, VERDICTS
from registry.countries import country_choices
from registry.formtools import FixedSelect, choices


class SearchForm(Form):
    """The lookup form. It is read from the query string (GET), so it carries no CSRF token."""

    q = StringField(_l("Name, licence number, phone or website"),
                    validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()], widget=FixedSelect())
    kind = SelectField(_l("Kind"), validators=[Optional()], widget=FixedSelect())
    verdict = SelectField(_l("Status"), validators=[Optional()], widget=FixedSelect())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choices([("", _l("Any country"))] + country_choices())
        self.kind.choices = choices([("", _l("Any kind"))] +
                                    [(k, _l(v)) for k, v in AGENCY_KINDS.items()])
        self.verdict.choices = choices([("", _l("Any status"))] +
                                       [(k, _l(v)) for k, v in VERDICTS.items()])
