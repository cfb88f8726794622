"""A licence's yearly returns: `/manage/licences/<id>/placements`, for the authority that
issued it."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from registry.countries import every_country_choice
from registry.db import get_session
from registry.formtools import choices
from registry.models import Licence
from registry.permissions import require
from registry.regulation.views import submitted
from registry.statistics import placements
from registry.statistics.views import bp


class PlacementForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(1990, 2100)])
    destination = SelectField(_l("Destination country"), validators=[DataRequired()])
    women = IntegerField(_l("Women"), default=0, validators=[Optional(), NumberRange(0)])
    men = IntegerField(_l("Men"), default=0, validators=[Optional(), NumberRange(0)])
    unspecified = IntegerField(
        _l("Sex not recorded"), default=0, validators=[Optional(), NumberRange(0)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.destination.choices = choices(every_country_choice())


@bp.route("/manage/licences/<int:licence_id>/placements", methods=["GET", "POST"])
def placements_page(licence_id: int):
    licence = get_session().get(Licence, licence_id) or abort(404)
    require("placements.record", licence)
    form = PlacementForm()
    done = submitted(
        form,
        lambda: placements.save(
            get_session(),
            actor=current_user,
            licence=licence,
            **{k: form[k].data for k in placements.FIELDS},
        ),
        done=_("Saved."),
        back_to=request.path,
    )
    if done:
        return done
    return render_template(
        "statistics/placements.html",
        licence=licence,
        returns=placements.of(get_session(), licence),
        form=form,
    ), (400 if form.errors else 200)
