"""Regulators' pages: load (404), check (one place: operations -> permissions), act, commit once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from registry.agencies.records import load_full
from registry.alerts import phoenix
from registry.clock import today
from registry.db import get_session
from registry.formtools import choices
from registry.ids import id_arg
from registry.models import Inspection, Licence, Sanction, SanctionEvent, utcnow
from registry.permissions import jurisdiction_of, owns_act, owns_licence, require
from registry.regulation import dashboard as dashboard_data
from registry.regulation import operations as ops
from registry.regulation import sanctions as sanction_events
from registry.regulation.forms import (
    AgencyForm,
    ConfirmForm,
    FindingForm,
    InspectionForm,
    LicenceForm,
    RenewForm,
    SanctionEventForm,
    SanctionForm,
    lines,
)
from registry.search import drain_now
from registry.verdict import effective_licence_status
from registry.vocab import DASHBOARD_LICENCE_FILTERS, LICENCE_STATUSES

bp = Blueprint("regulation", __name__, url_prefix="/manage")


def regulator_required(view):
    """Log in first; then only those who may use the regulators' area (403 for everyone else);
    what each may do there is checked by the operations (registry.permissions)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        require("manage.view")
        try:
            return view(*args, **kwargs)
        except ops.PermissionDenied:
            abort(403)

    return wrapper


def _commit() -> None:
    get_session().commit()
    drain_now()


def submitted(
    form,
    act: Callable[[], Any],
    *,
    done: str | Callable[[Any], str],
    back_to: str,
    error_field=None,
):
    """The one way a regulator's form is handled: validate, act, commit once, flash and
    redirect to `back_to`. None when the form or a domain rule refused it: the rule's message
    is on `error_field` (the form's first field by default) and nothing was kept, so the
    caller shows the form again with what was typed (400)."""
    if not form.validate_on_submit():
        return None
    try:
        result = act()
    except ops.RuleBroken as error:
        get_session().rollback()
        field = (
            error_field
            if error_field is not None
            else next(f for f in form if f.type != "CSRFTokenField")
        )
        field.errors = [*field.errors, str(error)]
        return None
    _commit()
    flash(done(result) if callable(done) else done)
    return redirect(back_to)


def pressed(form, act: Callable[[], Any], *, done: str, back_to: str, invalid: str = ""):
    """The one way a button of the manage page (confirm, renew) is handled: act, commit once
    and say so, or say why not (a domain rule's message; `invalid` for a form that does not
    validate); back to the page either way."""
    if form.validate_on_submit():
        try:
            act()
        except ops.RuleBroken as error:
            get_session().rollback()
            flash(str(error))
        else:
            _commit()
            flash(done)
    elif invalid:
        flash(invalid)
    return redirect(back_to)


def _to_agency(agency_id: int) -> str:
    return url_for("regulation.agency", agency_id=agency_id)


def _agency_or_404(agency_id: int):
    agency = load_full(get_session(), [agency_id]).get(agency_id)
    if agency is None:
        abort(404)
    return agency


def proposed_licence(agency):
    """The licence a new sanction most likely concerns: the authority's own that is in force
    longest, else its latest."""
    owned = [lic for lic in agency.licences if owns_licence(current_user, lic)]
    return max(
        owned,
        default=None,
        key=lambda lic: (
            effective_licence_status(lic, today(), agency.sanctions) == "active",
            lic.valid_until or date.max,
            lic.id,
        ),
    )


def _sanction_form(agency, **kwargs) -> SanctionForm:
    form = SanctionForm(prefix="sanction", **kwargs)
    proposed = proposed_licence(agency)
    owned = sorted(
        (lic for lic in agency.licences if owns_licence(current_user, lic)),
        key=lambda lic: lic is not proposed,
    )
    form.licence_id.choices = choices(
        [
            (
                lic.id,
                f"{lic.number} ({_(LICENCE_STATUSES[status])})"
                if (status := effective_licence_status(lic, today(), agency.sanctions))
                in LICENCE_STATUSES
                else lic.number,
            )
            for lic in owned
        ]
        + [(0, _("None: the sanction concerns the agency, not a licence"))]
    )
    if kwargs.get("formdata", True) is None and proposed is not None:
        form.licence_id.data = proposed.id
    form.finding_id.choices = choices(
        [(0, _("None"))]
        + [
            (f.id, f"{f.reference} ({f.decided_on})")
            for f in agency.findings
            if f.sanction_id is None and owns_act(current_user, f)
        ]
    )
    return form


def _finding_form(agency, **kwargs) -> FindingForm:
    form = FindingForm(prefix="finding", **kwargs)
    form.red_flag_ids.choices = choices(
        (f.id, f"{f.created_at.date()} — {f.public_summary or f.category}")
        for f in agency.red_flags
        if f.state == "substantiated"
    )
    if request.method == "GET" and (red_flag := request.args.get("red_flag", type=id_arg)):
        form.red_flag_ids.data = [red_flag]
    return form


def _manage_page(
    agency,
    *,
    licence_form=None,
    sanction_form=None,
    inspection_form=None,
    finding_form=None,
    event_form=None,
    event_sanction_id=None,
    status=200,
):
    inspections = (
        get_session()
        .exec(
            select(Inspection)
            .where(Inspection.agency_id == agency.id)
            .order_by(Inspection.visited_on.desc())
        )
        .all()
    )
    return render_template(
        "regulation/agency.html",
        agency=agency,
        inspections=inspections,
        resemblances=phoenix.resemblances(get_session(), agency),
        licence_form=licence_form or LicenceForm(formdata=None, prefix="licence"),
        sanction_form=sanction_form or _sanction_form(agency, formdata=None),
        inspection_form=inspection_form or InspectionForm(formdata=None, prefix="inspection"),
        finding_form=finding_form or _finding_form(agency, formdata=None),
        renew_form=RenewForm(formdata=None, prefix="renew"),
        confirm_form=ConfirmForm(),
        event_form=event_form or SanctionEventForm(formdata=None, prefix="event"),
        event_sanction_id=event_sanction_id,
        today=today(),
        renewal_refused=ops.renewal_refused,
    ), status


@bp.get("/")
@regulator_required
def dashboard():
    session, authority_id = get_session(), current_user.authority_id
    country, on = jurisdiction_of(current_user), today()
    wanted = dashboard_data.AgencyFilter.from_args(request.args)
    agencies, total = dashboard_data.agencies_page(session, current_user.authority, wanted, on)
    return render_template(
        "regulation/dashboard.html",
        wanted=wanted,
        agencies=agencies,
        total=total,
        pages=max(1, -(-total // dashboard_data.PAGE)),
        expiring=dashboard_data.expiring_licences(session, authority_id, on),
        flags=dashboard_data.waiting_flags(session, country),
        awaiting=dashboard_data.awaiting_sanctions(session, authority_id),
        awaiting_events=dashboard_data.awaiting_events(session, authority_id),
        confirm_form=ConfirmForm(),
        now=utcnow(),
        on=on,
        licence_filters=DASHBOARD_LICENCE_FILTERS,
        own_licences=dashboard_data.own_licences,
        effective_licence_status=effective_licence_status,
    )


@bp.route("/agencies/new", methods=["GET", "POST"])
@regulator_required
def new_agency():
    require("agency.create", jurisdiction_of(current_user))
    form = AgencyForm()
    if form.validate_on_submit():
        agency = ops.create_agency(
            get_session(),
            actor=current_user,
            country=jurisdiction_of(current_user),
            **_identity(form),
        )
        phoenix.flag(get_session(), agency=agency, acting_authority_id=current_user.authority_id)
        _commit()
        flash(_("Agency recorded."))
        return redirect(_to_agency(agency.id))
    return render_template("regulation/new_agency.html", form=form), 400 if form.errors else 200


def _identity(form: AgencyForm) -> dict:
    """What the agency form says of an agency's identity, as the operations take it."""
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "address": form.address.data or "",
        "city": form.city.data or "",
        "aliases": lines(form.aliases.data),
        "phones": lines(form.phones.data),
        "emails": lines(form.emails.data),
        "websites": lines(form.websites.data),
        "recruits_in": form.recruits_in.data or [],
        "places_in": form.places_in.data or [],
    }


@bp.get("/agencies/<int:agency_id>")
@regulator_required
def agency(agency_id: int):
    found = _agency_or_404(agency_id)
    if found.merged_into_id is not None:
        flash(_("This record was merged into another: here is the agency's record."))
        return redirect(url_for("regulation.agency", agency_id=found.merged_into_id))
    return _manage_page(found)


@bp.post("/agencies/<int:agency_id>/licences")
@regulator_required
def issue_licence(agency_id: int):
    agency = _agency_or_404(agency_id)
    form = LicenceForm(prefix="licence")
    done = submitted(
        form,
        lambda: ops.issue_licence(
            get_session(),
            actor=current_user,
            agency=agency,
            number=form.number.data,
            valid_from=form.valid_from.data,
            valid_until=form.valid_until.data,
            licence_class=form.licence_class.data or "",
            conditions=form.conditions.data or "",
        ),
        done=_("Licence issued."),
        back_to=_to_agency(agency.id),
        error_field=form.number,
    )
    return done or _manage_page(_agency_or_404(agency_id), licence_form=form, status=400)


@bp.post("/licences/<int:licence_id>/renew")
@regulator_required
def renew_licence(licence_id: int):
    licence = get_session().get(Licence, licence_id) or abort(404)
    form = RenewForm(prefix="renew")
    return pressed(
        form,
        lambda: ops.renew_licence(
            get_session(), actor=current_user, licence=licence, valid_until=form.valid_until.data
        ),
        done=_("Licence renewed."),
        back_to=_to_agency(licence.agency_id),
        invalid=_("Give the new end of validity."),
    )


@bp.post("/agencies/<int:agency_id>/sanctions")
@regulator_required
def impose_sanction(agency_id: int):
    agency = _agency_or_404(agency_id)
    form = _sanction_form(agency)
    done = submitted(
        form,
        lambda: ops.impose_sanction(
            get_session(),
            actor=current_user,
            agency=agency,
            type=form.type.data,
            decision_ref=form.decision_ref.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            summary=form.summary.data,
            lang=form.lang.data,
            licence=next((lic for lic in agency.licences if lic.id == form.licence_id.data), None),
            finding=next((f for f in agency.findings if f.id == form.finding_id.data), None),
        ),
        done=lambda sanction: (
            _(
                "Sanction recorded; it becomes public when a second regulator of your authority "
                "confirms it."
            )
            if sanction.status != "in_force"
            else _("Sanction recorded and in force.")
        ),
        back_to=_to_agency(agency.id),
        error_field=form.decision_ref,
    )
    return done or _manage_page(_agency_or_404(agency_id), sanction_form=form, status=400)


@bp.post("/sanctions/<int:sanction_id>/confirm")
@regulator_required
def confirm_sanction(sanction_id: int):
    sanction = get_session().get(Sanction, sanction_id) or abort(404)
    return pressed(
        ConfirmForm(),
        lambda: ops.confirm_sanction(get_session(), actor=current_user, sanction=sanction),
        done=_("Sanction confirmed; it is public now."),
        back_to=_to_agency(sanction.agency_id),
    )


@bp.post("/sanctions/<int:sanction_id>/events")
@regulator_required
def sanction_event(sanction_id: int):
    """Lift a sanction or record its appeal."""
    sanction = get_session().get(Sanction, sanction_id) or abort(404)
    agency = _agency_or_404(sanction.agency_id)
    sanction = next(s for s in agency.sanctions if s.id == sanction_id)
    form = SanctionEventForm(prefix="event")
    done = submitted(
        form,
        lambda: sanction_events.record_event(
            get_session(),
            actor=current_user,
            sanction=sanction,
            kind=form.kind.data,
            on=form.on.data,
            reason=form.reason.data,
        ),
        done=lambda event: (
            _("Recorded; it becomes public when a second regulator of your authority confirms it.")
            if event.status != "in_force"
            else _("Recorded.")
        ),
        back_to=_to_agency(agency.id),
        error_field=form.kind,
    )
    return done or _manage_page(
        _agency_or_404(agency.id), event_form=form, event_sanction_id=sanction_id, status=400
    )


@bp.post("/sanction-events/<int:event_id>/confirm")
@regulator_required
def confirm_sanction_event(event_id: int):
    event = get_session().get(SanctionEvent, event_id) or abort(404)
    sanction = get_session().get(Sanction, event.sanction_id)
    return pressed(
        ConfirmForm(),
        lambda: sanction_events.confirm_event(get_session(), actor=current_user, event=event),
        done=_("Change confirmed; it is public now."),
        back_to=_to_agency(sanction.agency_id),
    )


@bp.post("/agencies/<int:agency_id>/inspections")
@regulator_required
def record_inspection(agency_id: int):
    agency = _agency_or_404(agency_id)
    form = InspectionForm(prefix="inspection")
    done = submitted(
        form,
        lambda: ops.record_inspection(
            get_session(),
            actor=current_user,
            agency=agency,
            kind=form.kind.data,
            visited_on=form.visited_on.data,
            outcome=form.outcome.data,
            notes=form.notes.data or "",
        ),
        done=_("Visit recorded."),
        back_to=_to_agency(agency.id),
    )
    return done or _manage_page(_agency_or_404(agency_id), inspection_form=form, status=400)


@bp.post("/agencies/<int:agency_id>/findings")
@regulator_required
def record_finding(agency_id: int):
    agency = _agency_or_404(agency_id)
    form = _finding_form(agency)
    done = submitted(
        form,
        lambda: ops.record_finding(
            get_session(),
            actor=current_user,
            agency=agency,
            reference=form.reference.data,
            decided_on=form.decided_on.data,
            summary=form.summary.data,
            red_flags=[f for f in agency.red_flags if f.id in (form.red_flag_ids.data or [])],
            lang=form.lang.data,
        ),
        done=_("Finding recorded. To sanction on its basis, choose it in the sanction form."),
        back_to=_to_agency(agency.id),
        error_field=form.reference,
    )
    return done or _manage_page(_agency_or_404(agency_id), finding_form=form, status=400)


@bp.route("/agencies/<int:agency_id>/edit", methods=["GET", "POST"])
@regulator_required
def edit_agency(agency_id: int):
    agency = _agency_or_404(agency_id)
    require("agency.edit", agency)
    form = AgencyForm()
    if request.method == "GET":
        form.name.data, form.kind.data = agency.name, agency.kind
        form.address.data, form.city.data = agency.address, agency.city
        form.aliases.data = "\n".join(n.name for n in agency.names if n.type != "former")
        for field, kind in (
            (form.phones, "phone"),
            (form.emails, "email"),
            (form.websites, "website"),
        ):
            field.data = "\n".join(agency.contact_values(kind))
        form.recruits_in.data = agency.corridor_countries("origin")
        form.places_in.data = agency.corridor_countries("destination")
    done = submitted(
        form,
        lambda: (
            ops.edit_agency(get_session(), actor=current_user, agency=agency, **_identity(form)),
            phoenix.flag(
                get_session(), agency=agency, acting_authority_id=current_user.authority_id
            ),
        ),
        done=_("Agency updated."),
        back_to=_to_agency(agency.id),
    )
    if done:
        return done
    return render_template("regulation/new_agency.html", form=form, agency=agency), (
        400 if form.errors else 200
    )
