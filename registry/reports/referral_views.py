"""Red flags referred to an authority of another country (registry.reports.referrals): the
referring form on the review page, the queue of referrals an authority sent and received, and
the page where the receiving authority reads one and answers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.db import get_session
from registry.models import RedFlag, Referral
from registry.permissions import authority_id_of, can, require
from registry.regulation.operations import RuleBroken
from registry.reports import referrals
from registry.reports.forms import AnswerForm, refer_form
from registry.reports.views import bp, review_page


@bp.post("/manage/red-flags/<int:flag_id>/referrals")
def refer(flag_id: int):
    require("manage.view")
    flag = get_session().get(RedFlag, flag_id) or abort(404)
    require("red_flag.refer", flag)
    form = refer_form(referrals.destinations(get_session(), current_user), request.form)
    if form.validate_on_submit():
        try:
            referrals.refer(
                get_session(),
                actor=current_user,
                flag=flag,
                to_authority_id=int(form.to_authority_id.data),
                note=form.note.data or "",
            )
            get_session().commit()
            flash(_("Red flag referred. The other authority finds it in its referrals."))
            return redirect(url_for("reports.review", flag_id=flag.id))
        except RuleBroken as error:
            get_session().rollback()
            form.to_authority_id.errors = [*form.to_authority_id.errors, str(error)]
    return review_page(flag, refer=form)


@bp.get("/manage/referrals")
def referral_queue():
    require("manage.view")
    found = get_session().exec(referrals.involving(authority_id_of(current_user))).all()
    mine = authority_id_of(current_user)
    return render_template(
        "reports/referrals.html",
        received=[r for r in found if r.to_authority_id == mine],
        sent=[r for r in found if r.from_authority_id == mine],
    )


@bp.route("/manage/referrals/<int:referral_id>", methods=["GET", "POST"])
def referral(referral_id: int):
    require("manage.view")
    found = get_session().get(Referral, referral_id) or abort(404)
    require("referral.view", found)
    form = AnswerForm(prefix="answer")
    if form.validate_on_submit():
        require("referral.decide", found)
        try:
            referrals.decide(
                get_session(),
                actor=current_user,
                referral=found,
                answer=form.answer.data,
                note=form.note.data or "",
            )
            get_session().commit()
            flash(_("Answer recorded. The referring authority sees it."))
            return redirect(url_for("reports.referral", referral_id=found.id))
        except RuleBroken as error:
            get_session().rollback()
            form.answer.errors = [*form.answer.errors, str(error)]
    # The reviewers of the red flag see every referral of it; another authority, its own.
    trail = [
        r
        for r in found.red_flag.referrals
        if can(current_user, "red_flag.review", found.red_flag)
        or can(current_user, "referral.view", r)
    ]
    return render_template("reports/referral.html", referral=found, form=form, trail=trail), (
        400 if form.errors else 200
    )
