"""The forms of the guidance area. The offer check is read from the query string (GET, like
the search: a link to the answer can be shared), so it carries no CSRF token; the others do."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Form,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry.countries import every_country_choice
from registry.formtools import choices, text_language_field
from registry.vocab import CHARGE_PURPOSES, HELP_KINDS, PAYERS, REQUIREMENT_KINDS

CHARGES = 3  # the offer check's rows: what a migrant was asked to pay


def _translated(vocabulary: dict[str, str], first: str | None = None) -> list:
    head = [("", first)] if first is not None else []
    return choices(head + [(k, gettext(v)) for k, v in vocabulary.items()])


class OfferForm(Form):
    agency = StringField(
        _l("The agency or recruiter: its name or licence number"),
        validators=[Optional(), Length(max=300)],
    )
    destination = SelectField(_l("Country where the job is"), validators=[Optional()])
    category = SelectField(_l("Visa or programme offered"), validators=[Optional()])

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.destination.choices = choices(
            [("", gettext("Choose a country"))] + every_country_choice()
        )
        self.category.choices = choices(
            [("", gettext("I do not know"))]
            + [(str(c.id), f"{c.code} — {c.name}") for c in categories]
        )
        for n in range(1, CHARGES + 1):
            self[f"purpose_{n}"].choices = _translated(CHARGE_PURPOSES, gettext("What for?"))

    def charge_rows(self) -> list[tuple]:
        """(amount, currency, purpose) fields of each row."""
        return [
            (self[f"amount_{n}"], self[f"currency_{n}"], self[f"purpose_{n}"])
            for n in range(1, CHARGES + 1)
        ]


for _n in range(1, CHARGES + 1):
    setattr(
        OfferForm,
        f"amount_{_n}",
        DecimalField(
            _l("Amount asked"),
            places=2,
            validators=[Optional(), NumberRange(min=0, max=9_999_999_999)],
        ),
    )
    setattr(
        OfferForm,
        f"currency_{_n}",
        StringField(
            _l("Currency (for example USD, MXN, GTQ)"), validators=[Optional(), Length(max=20)]
        ),
    )
    setattr(OfferForm, f"purpose_{_n}", SelectField(_l("What for"), validators=[Optional()]))


class CategoryForm(FlaskForm):
    country = SelectField(_l("Destination country"), validators=[DataRequired()])
    code = StringField(
        _l("Short name (for example H-2A)"), validators=[DataRequired(), Length(max=40)]
    )
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Who it is for, in plain words"), validators=[Length(max=2000)])
    lang = text_language_field(_l("Language of the name and summary"))
    source_name = StringField(_l("Law or rule that sets it"), validators=[Length(max=300)])
    source_url = URLField(_l("Link to the law or rule"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        every = every_country_choice()
        if countries is not None:
            every = [(c, n) for c, n in every if c in countries]
        self.country.choices = choices(every)


class ItemForm(FlaskForm):
    kind = SelectField(_l("What it is"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    purpose = SelectField(_l("For a cost: what it is for"), validators=[Optional()])
    payer = SelectField(_l("For a cost: who pays"), validators=[Optional()])
    amount = DecimalField(
        _l("Official amount, if there is one"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=9_999_999_999)],
    )
    currency = StringField(_l("Currency (three letters)"), validators=[Optional(), Length(max=3)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])
    source_name = StringField(
        _l("Law or rule that sets it"), validators=[DataRequired(), Length(max=300)]
    )
    source_url = URLField(_l("Link to the law or rule"), validators=[Optional(), Length(max=500)])
    effective_on = DateField(_l("Takes effect on"), validators=[DataRequired()])
    replaces = SelectField(_l("Replaces"), validators=[Optional()])

    def __init__(self, *args, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = _translated(REQUIREMENT_KINDS)
        self.purpose.choices = _translated(CHARGE_PURPOSES, "—")
        self.payer.choices = _translated(PAYERS, "—")
        self.replaces.choices = choices(
            [("", gettext("Nothing: it is a new rule"))] + [(str(i.id), i.name) for i in current]
        )


class EndItemForm(FlaskForm):
    ends_on = DateField(_l("No longer applies from"), validators=[DataRequired()])


class ContactForm(FlaskForm):
    kind = SelectField(_l("Kind of help"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(_l("Country where it is"), validators=[DataRequired()])
    serves = SelectField(_l("For a consulate: whose people it serves"), validators=[Optional()])
    address = StringField(_l("Address"), validators=[Length(max=300)])
    city = StringField(_l("City"), validators=[Length(max=100)])
    hours = StringField(_l("Opening hours"), validators=[Length(max=200)])
    languages = StringField(
        _l("Languages spoken, as codes separated by commas (es, en, fr, pt, ht)"),
        validators=[Length(max=100)],
    )
    phone = StringField(_l("Phone"), validators=[Length(max=50)])
    whatsapp = StringField(_l("WhatsApp"), validators=[Length(max=50)])
    email = StringField(_l("E-mail"), validators=[Length(max=200)])
    website = StringField(_l("Website"), validators=[Length(max=300)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=1000)])
    hidden = BooleanField(_l("Hide it from the public (closed, or its details are being checked)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = _translated(HELP_KINDS)
        every = every_country_choice()
        self.country.choices = choices([("", gettext("Choose a country"))] + every)
        self.serves.choices = choices([("", gettext("Everyone"))] + every)
