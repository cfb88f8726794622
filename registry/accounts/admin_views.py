"""Administrators manage accounts: invite, change role, disable. Every change is audited."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from sqlmodel import select

from registry.accounts import service
from registry.accounts.forms import AccountForm, InviteForm, SetPasswordForm
from registry.countries import every_country_choice
from registry.db import get_session
from registry.formtools import choices
from registry.ids import to_id
from registry.models import Authority, User
from registry.permissions import require

bp = Blueprint("admin", __name__)
ROLE_LABELS = {"admin": _l("Administrator"), "regulator": _l("Regulator"), "ngo": _l("NGO")}


def _fill_choices(form) -> None:
    form.role.choices = choices(ROLE_LABELS.items())
    authorities = get_session().exec(select(Authority).order_by(Authority.name)).all()
    form.authority_id.choices = choices([("", "—")] + [(a.id, a.name) for a in authorities])
    if hasattr(form, "country"):
        form.country.choices = choices([("", "—")] + every_country_choice())


def _authority_id(form) -> int | None:
    return to_id(form.authority_id.data)


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def users():
    require("users.manage")
    form = InviteForm()
    _fill_choices(form)
    invite_link = None
    if form.validate_on_submit():
        try:
            user, token = service.invite_user(
                get_session(),
                actor=current_user,
                email=form.email.data,
                role=form.role.data,
                authority_id=_authority_id(form),
                organisation=form.organisation.data or "",
                country=form.country.data or "",
            )
            get_session().commit()
            invite_link = url_for("admin.accept_invite", token=token, _external=True)
            flash(
                _(
                    "Account created for %(email)s. Send them the link below; it works once, "
                    "for %(days)d days.",
                    email=user.email,
                    days=service.INVITE_DAYS,
                )
            )
            form = InviteForm(formdata=None)
            _fill_choices(form)
        except service.AccountError as error:
            get_session().rollback()
            form.email.errors.append(str(error))
    accounts = get_session().exec(select(User).order_by(User.role, User.email)).all()
    status = 400 if form.errors else 200
    return render_template(
        "accounts/users.html",
        form=form,
        accounts=accounts,
        invite_link=invite_link,
        roles=ROLE_LABELS,
    ), status


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    require("users.manage")
    user = get_session().get(User, user_id) or abort(404)
    form = AccountForm(obj=user)
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            service.update_account(
                get_session(),
                actor=current_user,
                user=user,
                role=form.role.data,
                active=form.active.data,
                authority_id=_authority_id(form),
                organisation=form.organisation.data or "",
            )
            get_session().commit()
            flash(_("Account updated."))
            return redirect(url_for("admin.users"))
        except service.AccountError as error:
            get_session().rollback()
            form.role.errors.append(str(error))
    status = 400 if form.errors else 200
    return render_template("accounts/edit_user.html", form=form, user=user), status


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    user = service.invited_user(get_session(), token)
    if user is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        service.accept_invite(get_session(), user=user, password=form.password.data)
        get_session().commit()
        login_user(user)
        flash(_("Your password is set. Welcome."))
        return redirect(url_for("public.home"))
    return render_template("accounts/accept_invite.html", form=form, user=user)
