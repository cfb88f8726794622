"""The staff inbox, watching an agency by e-mail, the Atom feeds and the warnings page."""

from __future__ import annotations

import json

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import update
from sqlmodel import select

from registry.agencies.records import is_public, load_full
from registry.alerts import changes, notices, watches
from registry.alerts.forms import WatchForm
from registry.clock import today
from registry.countries import country_name, is_country
from registry.db import get_reader, get_session
from registry.models import Notice, utcnow
from registry.permissions import require
from registry.regulation.operations import RuleBroken

bp = Blueprint("alerts", __name__)
INBOX_PAGE = 100


# -- the staff inbox ---------------------------------------------------------------------------
@bp.get("/manage/inbox")
def inbox():
    require("manage.view")
    found = (
        get_session()
        .exec(
            select(Notice)
            .where(Notice.user_id == current_user.id)
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(INBOX_PAGE)
        )
        .all()
    )
    lines = [(n, notices.text(n.message, json.loads(n.params), _)) for n in found]
    return render_template("alerts/inbox.html", lines=lines, form=FlaskForm())


@bp.post("/manage/inbox/read")
def mark_read():
    require("manage.view")
    if FlaskForm().validate_on_submit():
        get_session().exec(
            update(Notice)
            .where(Notice.user_id == current_user.id, Notice.read_at.is_(None))
            .values(read_at=utcnow())
        )
        get_session().commit()
    return redirect(url_for("alerts.inbox"))


# -- watching an agency ------------------------------------------------------------------------
def _public_agency_or_404(agency_id: int):
    agency = load_full(get_reader(), [agency_id]).get(agency_id)
    if agency is None or not is_public(agency) or agency.merged_into_id is not None:
        abort(404)
    return agency


@bp.route("/agencies/<int:agency_id>/watch", methods=["GET", "POST"])
def watch(agency_id: int):
    agency = _public_agency_or_404(agency_id)
    form = WatchForm()
    if form.validate_on_submit():
        try:
            watches.ask(get_session(), agency=agency, email=form.email.data, lang=str(get_locale()))
            get_session().commit()
            return render_template("alerts/watch.html", agency=agency, asked=form.email.data)
        except RuleBroken as error:
            get_session().rollback()
            form.email.errors = [*form.email.errors, str(error)]
    return render_template("alerts/watch.html", agency=agency, form=form), (
        400 if form.errors else 200
    )


def _watch_or_404(token: str):
    return watches.by_token(get_session(), token) or abort(404)


@bp.route("/watch/<token>/confirm", methods=["GET", "POST"])
def confirm_watch(token: str):
    """A button, not the link itself, confirms: mail scanners open links."""
    found = _watch_or_404(token)
    form = FlaskForm()
    if form.validate_on_submit():
        watches.confirm(get_session(), watch=found)
        get_session().commit()
        flash(_("Confirmed: you will get an e-mail when its standing changes."))
        return redirect(url_for("public.agency", agency_id=found.agency_id))
    agency = _public_agency_or_404(found.agency_id)
    return render_template("alerts/confirm.html", agency=agency, form=form, token=token)


@bp.route("/watch/<token>/stop", methods=["GET", "POST"])
def stop_watch(token: str):
    """One click: the page's button, or the mail provider's POST of RFC 8058
    ("List-Unsubscribe=One-Click", without a CSRF token: the token in the address decides;
    registry.alerts.init_app exempts this view)."""
    found = watches.by_token(get_session(), token)
    if request.method == "POST":
        if found is not None:
            watches.stop(get_session(), watch=found)
            get_session().commit()
        return render_template("alerts/stopped.html")
    if found is None:
        abort(404)
    return render_template("alerts/stop.html", token=token)


# -- feeds and warnings ------------------------------------------------------------------------
def _atom(title: str, self_url: str, found: list[changes.Change]) -> Response:
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.link(href=self_url, rel="self")
    feed.link(href=url_for("public.home", _external=True), rel="alternate")
    feed.language(str(get_locale()))
    feed.updated(
        max((c.moment for c in found), default=utcnow()).replace(tzinfo=None).isoformat() + "Z"
    )
    for change in reversed(found):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(
            f"{url_for('public.home', _external=True)}changes/{change.kind}/{change.record_id}"
        )
        entry.title(changes.title(change))
        entry.link(href=url_for("public.agency", agency_id=change.agency_id, _external=True))
        entry.updated(change.moment.isoformat() + "Z")
        parts = [country_name(change.country)]
        if change.authority:
            parts.append(change.authority)
        if change.summary:
            parts.append(change.summary)
        entry.summary(" · ".join(parts))
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


def _country_arg() -> str | None:
    country = (request.args.get("country") or "").strip().upper()
    if not country:
        return None
    if not is_country(country):
        abort(400, description=_("Unknown country code: use two letters, for example MX."))
    return country


@bp.get("/feeds/changes.atom")
def changes_feed():
    country = _country_arg()
    found = changes.recent(get_reader(), on=today(), country=country)
    title = (
        _("Recruitment registry: changes in %(country)s", country=country_name(country))
        if country
        else _("Recruitment registry: changes")
    )
    return _atom(title, request.url, found)


@bp.get("/agencies/<int:agency_id>/changes.atom")
def agency_feed(agency_id: int):
    agency = _public_agency_or_404(agency_id)
    found = changes.recent(get_reader(), on=today(), agency_id=agency.id)
    return _atom(_("Recruitment registry: %(agency)s", agency=agency.name), request.url, found)


@bp.get("/warnings")
def warnings_page():
    on = today()
    return render_template(
        "alerts/warnings.html", by_country=changes.warnings(get_reader(), on=on), on=on
    )


@bp.get("/warnings.atom")
def warnings_feed():
    found = changes.recent(get_reader(), on=today(), severe_only=True)
    found = [c for c in found if c.kind == "sanction"]
    return _atom(_("Recruitment registry: warnings"), request.url, found)
