from __future__ import annotations

import json

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import get_locale
from flask_wtf import FlaskForm

from registry.agencies.records import is_public, load_full, verdict_for
from registry.alerts import changes
from registry.clock import today
from registry.countries import country_name
from registry.db import get_reader, get_session
from registry.i18n import day, translations
from registry.proofs import service

bp = Blueprint("proofs", __name__)


@bp.route("/agencies/<int:agency_id>/proof", methods=["GET", "POST"])
def issue(agency_id: int):
    """Linked from an agency's page and from each result: a button (a link alone would let
    every crawler issue proofs) that issues, or finds, today's proof."""
    agency = load_full(get_session(), [agency_id]).get(agency_id)
    if agency is None or not is_public(agency) or agency.merged_into_id is not None:
        abort(404)
    on = today()
    form = FlaskForm()
    if not form.validate_on_submit():
        return render_template("proofs/issue.html", agency=agency, form=form), (
            400 if form.errors else 200
        )
    proof = service.issue(
        get_session(),
        agency=agency,
        verdict=verdict_for(agency, on),
        on=on,
        lang=str(get_locale()),
        gettext=translations().ugettext,
        date_format=day,
        country_name=country_name,
    )
    get_session().commit()
    return redirect(url_for("proofs.check", code=service.shown(proof.code)))


@bp.get("/check/<code>")
def check(code: str):
    proof = service.by_code(get_reader(), code)
    if proof is None:
        return render_template("proofs/unknown.html", code=code[:40]), 404
    agency = load_full(get_reader(), [proof.agency_id]).get(proof.agency_id)
    now = verdict_for(agency, today()) if agency is not None else None
    since = [
        c
        for c in changes.recent(get_reader(), on=today(), agency_id=proof.agency_id)
        if c.on >= proof.checked_on
    ]
    url = url_for("proofs.check", code=service.shown(proof.code), _external=True)
    return render_template(
        "proofs/check.html",
        proof=proof,
        shown=service.shown(proof.code),
        snapshot=json.loads(proof.snapshot),
        agency=agency,
        now=now,
        since=since,
        url=url,
        qr=service.qr_svg(url),
        today_=today(),
    )
