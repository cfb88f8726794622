from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from registry.countries import every_country_choice
from registry.formtools import choices, text_language_field
from registry.ids import to_id
from registry.vocab import (
    AGENCY_KINDS,
    INSPECTION_KINDS,
    INSPECTION_OUTCOMES,
    SANCTION_EVENTS,
    SANCTION_TYPES,
)


def lines(text: str | None) -> list[str]:
    """One value per line, blanks dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AgencyForm(FlaskForm):
    name = StringField(_l("Legal name"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=choices((k, _l(v)) for k, v in AGENCY_KINDS.items()))
    address = StringField(_l("Registered address"), validators=[Optional(), Length(max=500)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    aliases = TextAreaField(_l("Other names (one per line)"), validators=[Length(max=5000)])
    phones = TextAreaField(_l("Phone numbers (one per line)"), validators=[Length(max=2000)])
    emails = TextAreaField(_l("E-mail addresses (one per line)"), validators=[Length(max=2000)])
    websites = TextAreaField(_l("Websites (one per line)"), validators=[Length(max=2000)])
    recruits_in = SelectMultipleField(_l("Countries it recruits workers in"), choices=[])
    places_in = SelectMultipleField(_l("Countries it places workers in"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recruits_in.choices = self.places_in.choices = every_country_choice()


class LicenceForm(FlaskForm):
    number = StringField(_l("Licence number"), validators=[DataRequired(), Length(max=60)])
    licence_class = StringField(_l("Class or scope"), validators=[Optional(), Length(max=120)])
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    conditions = TextAreaField(_l("Conditions"), validators=[Optional(), Length(max=2000)])


class RenewForm(FlaskForm):
    valid_until = DateField(_l("New end of validity"), validators=[DataRequired()])


class SanctionForm(FlaskForm):
    type = SelectField(
        _l("Sanction"), choices=choices((k, _l(v)) for k, v in SANCTION_TYPES.items())
    )
    licence_id = SelectField(_l("Licence concerned"), coerce=int, validators=[Optional()])
    finding_id = SelectField(_l("Finding it rests on"), coerce=int, validators=[Optional()])
    decision_ref = StringField(
        _l("Decision reference"), validators=[DataRequired(), Length(max=120)]
    )
    starts_on = DateField(_l("From"), validators=[DataRequired()])
    ends_on = DateField(_l("Until (empty: no end date)"), validators=[Optional()])
    summary = TextAreaField(_l("Public summary"), validators=[DataRequired(), Length(max=4000)])
    lang = text_language_field(_l("Language of the summary"))


class SanctionEventForm(FlaskForm):
    """Lift a sanction, or record its appeal."""

    kind = SelectField(
        _l("What happened"), choices=choices((k, _l(v)) for k, v in SANCTION_EVENTS.items())
    )
    on = DateField(_l("On"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason (public)"), validators=[DataRequired(), Length(max=2000)])


class InspectionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices((k, _l(v)) for k, v in INSPECTION_KINDS.items()))
    visited_on = DateField(_l("Date of the visit"), validators=[DataRequired()])
    outcome = SelectField(
        _l("Outcome"), choices=choices((k, _l(v)) for k, v in INSPECTION_OUTCOMES.items())
    )
    notes = TextAreaField(_l("Notes (regulators only)"), validators=[Optional(), Length(max=8000)])


class FindingForm(FlaskForm):
    reference = StringField(_l("Reference"), validators=[DataRequired(), Length(max=120)])
    decided_on = DateField(_l("Date of the finding"), validators=[DataRequired()])
    summary = TextAreaField(_l("Public summary"), validators=[DataRequired(), Length(max=4000)])
    lang = text_language_field(_l("Language of the summary"))
    red_flag_ids = SelectMultipleField(
        _l("Substantiated red flags it rests on"), coerce=int, validators=[Optional()]
    )


class ConfirmForm(FlaskForm):
    """Only the CSRF token: confirming a sanction needs no other input."""


class SameAgencyForm(FlaskForm):
    """Which registered agency a record or a red flag is really about: one of the names the
    lookup finds, or a record number; and a tick that the regulator checked."""

    candidate = RadioField(
        _l("Agencies with a similar name"), validate_choice=False, validators=[Optional()]
    )
    record = StringField(
        _l("Or its record number (the number at the end of its page's address)"),
        validators=[
            Optional(),
            Regexp(
                r"^\s*\d{1,12}\s*$", message=_l("Write the record number only, for example 1234.")
            ),
        ],
    )
    checked = BooleanField(
        _l("I checked that it is the same agency"),
        validators=[DataRequired(message=_l("Tick the box to confirm that you checked."))],
    )

    def chosen_id(self) -> int | None:
        value = (self.record.data or "").strip() or (self.candidate.data or "")
        return to_id(value)


class TranslationForm(FlaskForm):
    """A public text in another language."""

    lang = text_language_field(_l("Language"))
    text = TextAreaField(_l("Translation"), validators=[DataRequired(), Length(max=4000)])
