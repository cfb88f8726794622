"""The entries of imported lists whose agency the lookup was not sure of: a reviewer says
whether each is the likely agency (the sanction goes there) or another (a new record)."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import RadioField
from wtforms.validators import DataRequired

from registry.db import get_session
from registry.formtools import choices
from registry.models import ListMatch, ListSource
from registry.opendata import lists
from registry.opendata.views import bp
from registry.permissions import can, require


class MatchForm(FlaskForm):
    # the labels are written in the template, in the visitor's language
    same = RadioField(choices=choices([("yes", "yes"), ("no", "no")]), validators=[DataRequired()])


@bp.get("/manage/list-matches")
def list_matches():
    require("list.queue")
    waiting = (
        get_session()
        .exec(select(ListMatch).where(ListMatch.state == "pending").order_by(ListMatch.id))
        .all()
    )
    mine = [m for m in waiting if can(current_user, "list.review", m)]
    sources = {s.id: s for s in get_session().exec(select(ListSource)).all()}
    rows = [(m, json.loads(m.entry), sources[m.source_id]) for m in mine[:200]]
    return render_template("opendata/matches.html", rows=rows, form=MatchForm())


@bp.post("/manage/list-matches/<int:match_id>")
def decide_match(match_id: int):
    found = get_session().get(ListMatch, match_id) or abort(404)
    require("list.review", found)
    form = MatchForm()
    if form.validate_on_submit() and found.state == "pending":
        lists.decide(get_session(), match=found, same=form.same.data == "yes", actor=current_user)
        get_session().commit()
        flash(_("Recorded: the sanction is on the agency's record."))
    return redirect(url_for("opendata.list_matches"))
