"""One agency, one record: a regulator merges a duplicate record into the agency it is, or files
a red flag on the registered agency it is really about (registry.agencies.merging)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.agencies import merging
from registry.db import get_session
from registry.models import Agency, RedFlag
from registry.permissions import can, require
from registry.regulation import operations as ops
from registry.regulation.forms import SameAgencyForm
from registry.regulation.views import _commit, bp, regulator_required
from registry.reports.naming import candidates


def _page(form: SameAgencyForm, record: Agency, flag: RedFlag | None):
    """The page asking which agency: the lookup's near names are looked up only to show them
    (the radio buttons are not checked against them: a record number is taken too)."""
    hits = [h for h in candidates(record.name, record.country) if h.agency.id != record.id]
    return render_template(
        "regulation/merge.html", form=form, hits=hits, record=record, flag=flag
    ), 400 if form.errors else 200


def _target(form: SameAgencyForm) -> Agency | None:
    chosen = form.chosen_id()
    target = get_session().get(Agency, chosen) if chosen is not None else None
    if target is None:
        field = form.record if (form.record.data or "").strip() else form.candidate
        field.errors = list(field.errors) + [
            _("No agency has this record number.")
            if field is form.record
            else _("Choose the agency, or write its record number.")
        ]
    return target


def _act(form: SameAgencyForm, action) -> bool:
    """Run the merge or the link; False (with the error on the form) when it is refused."""
    target = _target(form)
    if target is None:
        return False
    try:
        action(target)
        _commit()
        return True
    except ops.RuleBroken as error:
        get_session().rollback()
        form.record.errors = list(form.record.errors) + [str(error)]
    except ops.PermissionDenied:
        get_session().rollback()
        form.record.errors = list(form.record.errors) + [
            _(
                "That agency is outside your authority: it is neither of your country nor licensed "
                "by you."
            )
        ]
    return False


@bp.route("/agencies/<int:agency_id>/merge", methods=["GET", "POST"])
@regulator_required
def merge_agency(agency_id: int):
    duplicate = get_session().get(Agency, agency_id) or abort(404)
    require("agency.merge", duplicate)
    if duplicate.merged_into_id is not None:
        return redirect(url_for("regulation.agency", agency_id=duplicate.merged_into_id))
    form = SameAgencyForm()
    if form.validate_on_submit() and _act(
        form,
        lambda target: merging.merge(
            get_session(), actor=current_user, duplicate=duplicate, survivor=target
        ),
    ):
        flash(
            _(
                "The records were merged: everything is now on this agency's record, and the "
                "old page leads here."
            )
        )
        return redirect(url_for("regulation.agency", agency_id=duplicate.merged_into_id))
    return _page(form, duplicate, None)


@bp.route("/red-flags/<int:flag_id>/agency", methods=["GET", "POST"])
@regulator_required
def link_red_flag(flag_id: int):
    flag = get_session().get(RedFlag, flag_id) or abort(404)
    require("red_flag.review", flag)
    form = SameAgencyForm()
    if form.validate_on_submit() and _act(
        form,
        lambda target: merging.link_flag(
            get_session(), actor=current_user, flag=flag, agency=target
        ),
    ):
        flash(_("The red flag is now on the record of %(name)s.", name=flag.agency.name))
        if can(current_user, "red_flag.review", flag):
            return redirect(url_for("reports.review", flag_id=flag.id))
        return redirect(url_for("reports.queue"))
    return _page(form, flag.agency, flag)
