"""Administrators' pages: their home (unrouted reports, accounts, authorities) and the
authorities."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import func, select

from registry.authorities import service
from registry.authorities.forms import AuthorityForm
from registry.countries import every_country_choice
from registry.db import get_session
from registry.formtools import choices
from registry.models import Authority, RedFlag, User, utcnow
from registry.permissions import require
from registry.reports import routing

bp = Blueprint("admin_home", __name__, url_prefix="/admin")


@bp.get("/")
def home():
    """What an administrator looks at first: the reports no authority covers, oldest first."""
    require("reports.unrouted")
    session = get_session()
    unrouted = session.exec(routing.unrouted().order_by(RedFlag.created_at)).all()
    accounts = session.exec(select(func.count()).select_from(User)).one()
    authorities = session.exec(select(func.count()).select_from(Authority)).one()
    return render_template(
        "authorities/home.html",
        unrouted=unrouted,
        accounts=accounts,
        authorities=authorities,
        now=utcnow(),
    )


@bp.get("/reports/<int:flag_id>")
def unrouted_report(flag_id: int):
    """An unrouted report, for an administrator to pass on (never the reporter's contact)."""
    require("reports.unrouted")
    flag = get_session().get(RedFlag, flag_id) or abort(404)
    if routing.covered(get_session(), flag.agency.country):
        abort(404)  # routed: its country's regulators read it
    return render_template("authorities/unrouted_report.html", flag=flag)


@bp.get("/authorities")
def authorities():
    require("authorities.manage")
    listed = get_session().exec(select(Authority).order_by(Authority.country, Authority.name)).all()
    return render_template("authorities/list.html", authorities=listed)


def _form(authority: Authority | None = None) -> AuthorityForm:
    form = AuthorityForm(obj=authority if request.method == "GET" else None)
    form.country.choices = choices([("", _("Choose a country"))] + every_country_choice())
    form.station.choices = choices([("", _("Not stationed abroad"))] + every_country_choice())
    return form


@bp.route("/authorities/new", methods=["GET", "POST"])
def new_authority():
    return _edit(None)


@bp.route("/authorities/<int:authority_id>", methods=["GET", "POST"])
def edit_authority(authority_id: int):
    require("authorities.manage")
    return _edit(get_session().get(Authority, authority_id) or abort(404))


def _edit(authority: Authority | None):
    require("authorities.manage")
    form = _form(authority)
    if form.validate_on_submit():
        try:
            service.save(
                get_session(),
                actor=current_user,
                authority=authority,
                **{k: form[k].data or "" for k in service.FIELDS},
            )
            get_session().commit()
            flash(_("Authority saved."))
            return redirect(url_for("admin_home.authorities"))
        except service.AuthorityError as error:
            get_session().rollback()
            form.name.errors.append(str(error))
    return render_template("authorities/edit.html", form=form, authority=authority), (
        400 if form.errors else 200
    )
