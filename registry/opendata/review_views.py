"""The entries of imported lists whose agency the lookup was not sure of: a reviewer says
whether each is the likely agency (the sanction goes there) or another (a new record)."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import func, select
from wtforms import RadioField
from wtforms.validators import DataRequired

from registry.db import get_session
from registry.formtools import choices
from registry.models import Agency, ListMatch, ListSource
from registry.opendata import lists
from registry.opendata.views import bp
from registry.permissions import can, jurisdiction_of, require


class MatchForm(FlaskForm):
    # the labels are written in the template, in the visitor's language
    same = RadioField(choices=choices([("yes", "yes"), ("no", "no")]), validators=[DataRequired()])


PAGE = 50


@bp.get("/manage/list-matches")
def list_matches():
    """The entries waiting on the reviewer's country (every one for an administrator), oldest
    first, PAGE at a time."""
    require("list.queue")
    session = get_session()
    waiting = select(ListMatch).where(ListMatch.state == "pending")
    if current_user.role != "admin":  # narrowed in SQL as list.review narrows each entry
        waiting = waiting.join(Agency, Agency.id == ListMatch.agency_id).where(
            Agency.country == (jurisdiction_of(current_user) or "")
        )
    total = session.exec(select(func.count()).select_from(waiting.subquery())).one()
    pages = max(1, -(-total // PAGE))
    page = min(request.args.get("page", 1, type=int) or 1, pages) if total else 1
    page = max(page, 1)
    shown = session.exec(waiting.order_by(ListMatch.id).offset((page - 1) * PAGE).limit(PAGE))
    mine = [m for m in shown.all() if can(current_user, "list.review", m)]
    sources = {s.id: s for s in session.exec(select(ListSource)).all()}
    rows = [(m, json.loads(m.entry), sources[m.source_id]) for m in mine]
    return render_template(
        "opendata/matches.html", rows=rows, form=MatchForm(), total=total, page=page, pages=pages
    )


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
