"""Reporting red flags (public and NGOs), following them, and the regulators' review queue."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from registry.db import get_session
from registry.guidance import directory
from registry.ids import id_arg, to_id
from registry.models import Agency, EvidenceContent, EvidenceFile, RedFlag, utcnow
from registry.permissions import jurisdiction_of, require
from registry.regulation.operations import PermissionDenied, RuleBroken
from registry.reports import limits, naming, referrals, routing
from registry.reports import operations as ops
from registry.reports.evidence import EvidenceRejected, download_name
from registry.reports.forms import ReceiptForm, ReportForm, ReviewForm, refer_form
from registry.search import drain_now
from registry.security import no_store
from registry.vocab import RED_FLAG_STATES

bp = Blueprint("reports", __name__)


def _reporter():
    return current_user if current_user.is_authenticated else None


def _prefill(form: ReportForm) -> Agency | None:
    session = get_session()
    agency_id = request.args.get("agency", type=id_arg) or to_id(form.agency_id.data)
    agency = session.get(Agency, agency_id) if agency_id else None
    if agency is not None and request.method == "GET":
        form.agency_id.data, form.name.data, form.country.data = (
            str(agency.id),
            agency.name,
            agency.country,
        )
    elif request.method == "GET":
        form.name.data = request.args.get("name", "")[:300]
    return agency


def _form_page(
    form: ReportForm, agency: Agency | None, status: int = 200, candidates: list | None = None
):
    return render_template(
        "reports/report.html",
        form=form,
        agency=agency,
        candidates=candidates or [],
        new_choice=naming.NEW,
    ), status


@bp.route("/report", methods=["GET", "POST"])
@no_store
def report():
    form = ReportForm()
    agency = _prefill(form)
    session = get_session()
    address = request.remote_addr or "-"
    if not form.validate_on_submit():
        return _form_page(form, agency, 400 if form.errors else 200)
    reporter = _reporter()
    if reporter is None and not limits.allowed(session, address=address):
        form.description.errors.append(
            _("Too many reports from this connection today. Please try again tomorrow.")
        )
        return _form_page(form, agency, 429)
    named = naming.name_agency(
        session,
        name=form.name.data,
        country=form.country.data or "",
        chosen=form.choice.data or "",
        known=agency,
    )
    if named.ask:
        form.choice.data = ""
        return _form_page(form, None, 200, named.candidates)
    if named.agency is None:
        if not form.country.data:
            form.country.errors.append(_("Choose the country where it happened."))
            return _form_page(form, None, 400)
        agency = ops.reported_entity(session, name=form.name.data, country=form.country.data)
    else:
        agency = named.agency
    files = (
        [(f.filename or "file", f.read()) for f in (form.evidence.data or []) if f and f.filename]
        if reporter is not None
        else []
    )
    try:
        flag, code = ops.submit(
            session,
            reporter=reporter,
            agency=agency,
            category=form.category.data,
            description=form.description.data,
            occurred_on=form.occurred_on.data,
            place=form.place.data or "",
            contact=form.contact.data or "",
            files=files,
        )
    except (EvidenceRejected, RuleBroken) as error:
        session.rollback()
        form.evidence.errors.append(str(error))
        return _form_page(form, agency, 400)
    except PermissionDenied:
        abort(403)
    if reporter is None:
        limits.count(session, address=address)
    session.commit()
    drain_now()
    if code is not None:
        return render_template(
            "reports/receipt.html",
            code=code,
            agency=agency,
            routed=routing.covered(session, agency.country),
            trafficking=form.category.data == "trafficking",
            contacts=directory.nearest(
                session,
                [form.country.data or "", agency.country],
                trafficking=form.category.data == "trafficking",
                limit=6,
            ),
        )
    flash(_("Your report was received."))
    return redirect(url_for("reports.my_reports"))


@bp.route("/report/status", methods=["GET", "POST"])
@no_store
def report_status():
    form = ReceiptForm()
    flag = None
    if form.validate_on_submit():
        flag = (
            get_session()
            .exec(select(RedFlag).where(RedFlag.receipt_hash == ops.receipt_hash(form.code.data)))
            .first()
        )
        if flag is None:
            form.code.errors.append(_("No report has this receipt code. Check it and try again."))
    routed = flag is None or routing.covered(get_session(), flag.agency.country)
    return render_template("reports/status.html", form=form, flag=flag, routed=routed), (
        400 if form.errors else 200
    )


@bp.get("/ngo/reports")
def my_reports():
    require("red_flag.follow")
    flags = (
        get_session()
        .exec(
            select(RedFlag)
            .where(RedFlag.submitted_by_id == current_user.id)
            .order_by(RedFlag.created_at.desc())
        )
        .all()
    )
    return render_template("reports/mine.html", flags=flags)


@bp.get("/manage/red-flags")
def queue():
    """The red flags about agencies of the regulator's country (registry.permissions)."""
    require("red_flag.queue")
    state = request.args.get("state", "")
    query = routing.for_country(jurisdiction_of(current_user))
    if state in RED_FLAG_STATES:
        query = query.where(RedFlag.state == state)
    flags = (
        get_session().exec(query.order_by(RedFlag.state != "received", RedFlag.created_at)).all()
    )
    return render_template("reports/queue.html", flags=flags, state=state, now=utcnow())


def _reviewable_or_403(flag_id: int) -> RedFlag:
    require("manage.view")
    flag = get_session().get(RedFlag, flag_id) or abort(404)
    require("red_flag.review", flag)
    return flag


@bp.route("/manage/red-flags/<int:flag_id>", methods=["GET", "POST"])
def review(flag_id: int):
    flag = _reviewable_or_403(flag_id)
    form = ReviewForm(obj=flag if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            ops.review(
                get_session(),
                actor=current_user,
                flag=flag,
                state=form.state.data,
                public_summary=form.public_summary.data or "",
                lang=form.lang.data,
            )
            get_session().commit()
            drain_now()
            flash(_("Red flag updated."))
            return redirect(url_for("reports.review", flag_id=flag.id))
        except RuleBroken as error:
            form.state.errors.append(str(error))
    return review_page(flag, review=form)


def review_page(flag: RedFlag, *, review=None, refer=None):
    """The review page: the red flag, its review form, its referrals and the form to refer it
    (400 when either form was refused)."""
    review = review or ReviewForm(formdata=None, obj=flag)
    refer = refer or refer_form(referrals.destinations(get_session(), current_user))
    status = 400 if review.errors or refer.errors else 200
    return render_template("reports/review.html", flag=flag, form=review, refer_form=refer), status


@bp.get("/manage/evidence/<int:file_id>")
def evidence(file_id: int):
    require("manage.view")
    stored = get_session().get(EvidenceFile, file_id) or abort(404)
    require("evidence.open", stored)
    content = get_session().get(EvidenceContent, file_id)
    if content is None:  # received by an older version on another server: see init-db
        abort(404)
    # private, no-store: as everything answered to a logged-in user (registry.accounts)
    return send_file(
        BytesIO(content.data),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=download_name(stored.original_name, stored.stored_name),
        etag=False,
    )
