from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=500)])


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"))
    authority_id = SelectField(_l("Authority (regulators)"), validators=[Optional()])
    organisation = StringField(_l("Organisation (NGOs)"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country (NGOs)"), validators=[Optional()])


class AccountForm(FlaskForm):
    role = SelectField(_l("Role"))
    authority_id = SelectField(_l("Authority (regulators)"), validators=[Optional()])
    organisation = StringField(_l("Organisation (NGOs)"), validators=[Optional(), Length(max=200)])
    active = BooleanField(_l("Account enabled"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Choose a password (12 characters at least)"),
        validators=[DataRequired(), Length(min=12, max=500)],
    )
    confirm = PasswordField(_l("Repeat it"), validators=[DataRequired(), EqualTo("password")])


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=500)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
