from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from registry.countries import every_country_choice
from registry.formtools import choices, text_language_field
from registry.vocab import RED_FLAG_CATEGORIES, RED_FLAG_STATES, REFERRAL_ANSWERS


class ReportForm(FlaskForm):
    agency_id = HiddenField()
    # The agency chosen among those the name matches ("is it one of these?"), or "new".
    choice = HiddenField()
    name = StringField(
        _l("Name of the agency or recruiter"), validators=[DataRequired(), Length(max=300)]
    )
    # Blank until chosen: required unless the agency is one the registry knows (views.report).
    country = SelectField(_l("Country where it happened"), validators=[Optional()])
    category = SelectField(
        _l("What happened"),
        validators=[DataRequired(message=_l("Choose what happened."))],
        choices=choices(
            [("", _l("Choose one"))] + [(k, _l(v)) for k, v in RED_FLAG_CATEGORIES.items()]
        ),
    )
    description = TextAreaField(
        _l("Tell us what happened"), validators=[DataRequired(), Length(min=10, max=8000)]
    )
    occurred_on = DateField(_l("When (approximately)"), validators=[Optional()])
    place = StringField(
        _l("Where (city, social network, office...)"), validators=[Optional(), Length(max=200)]
    )
    contact = StringField(
        _l("A way to contact you (optional, seen only by regulators)"),
        validators=[Optional(), Length(max=300)],
    )
    evidence = MultipleFileField(_l("Evidence: PDF, JPEG, PNG or WebP, up to 10 MB each"))
    # A honeypot: hidden from people by CSS, filled in by bots.
    website_url = StringField(_l("Leave this field empty"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choices([("", _l("Choose a country"))] + every_country_choice())

    def validate_website_url(self, field) -> None:
        if field.data:
            raise ValidationError(_l("Leave this field empty"))


class ReceiptForm(FlaskForm):
    code = StringField(_l("Receipt code"), validators=[DataRequired(), Length(max=40)])


class ReviewForm(FlaskForm):
    state = SelectField(
        _l("New state"), choices=choices((k, _l(v)) for k, v in RED_FLAG_STATES.items())
    )
    public_summary = TextAreaField(
        _l("Public summary (shown on the agency's page when substantiated)"),
        validators=[Length(max=2000)],
    )
    lang = text_language_field(_l("Language of the summary"))


class ReferForm(FlaskForm):
    """Refer a red flag to an authority of another country (choices: referrals.destinations)."""

    to_authority_id = SelectField(_l("Authority"), validators=[DataRequired()])
    note = TextAreaField(
        _l("Note: why you refer it and what you ask"),
        validators=[DataRequired(), Length(max=2000)],
    )


def refer_form(destinations, formdata=None) -> ReferForm:
    """The refer form, offering `destinations` (registry.reports.referrals.destinations)."""
    form = ReferForm(formdata=formdata, prefix="refer")
    form.to_authority_id.choices = choices(
        [("", _l("Choose an authority"))]
        + [(a.id, f"{a.name} ({a.country})") for a in destinations]
    )
    return form


class AnswerForm(FlaskForm):
    answer = RadioField(
        _l("Your answer"),
        choices=choices((k, _l(v)) for k, v in REFERRAL_ANSWERS.items()),
        validators=[DataRequired()],
    )
    note = TextAreaField(_l("Note (required to decline)"), validators=[Length(max=2000)])
