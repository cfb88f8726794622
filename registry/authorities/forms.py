from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp

from registry.formtools import choices
from registry.vocab import AUTHORITY_KINDS


class AuthorityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    code = StringField(
        _l("Code (short, for example MX-STPS)"), validators=[Optional(), Length(max=40)]
    )
    country = SelectField(
        _l("Country (for a consulate: the country it represents)"), validators=[DataRequired()]
    )
    kind = SelectField(
        _l("Kind"),
        choices=choices((k, _l(v)) for k, v in AUTHORITY_KINDS.items()),
        default="licensing",
    )
    station = SelectField(_l("Stationed in (consulates and labour attachés only)"), default="")
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    email = EmailField(
        _l("E-mail"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=_l("Write an e-mail address like name@example.org."),
            ),
        ],
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=60)])
    contact = TextAreaField(
        _l("Address and opening hours"), validators=[Optional(), Length(max=300)]
    )
    languages = StringField(
        _l("Languages it answers in (codes, for example: es, en)"),
        validators=[Optional(), Length(max=100)],
    )
