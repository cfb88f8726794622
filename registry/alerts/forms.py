from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Length, Regexp


class WatchForm(FlaskForm):
    email = EmailField(
        _l("Your e-mail address"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=_l("Write an e-mail address like name@example.org."),
            ),
        ],
    )
