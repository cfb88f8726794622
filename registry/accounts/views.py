from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from registry.accounts import service
from registry.accounts.forms import ChangePasswordForm, LoginForm
from registry.db import get_session
from registry.permissions import home_endpoint

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None, user) -> str:
    """Only a path on this site: never send a user elsewhere after logging in. Without one,
    each role lands on its own home."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for(home_endpoint(user))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        address = request.remote_addr or "unknown"
        if service.login_blocked(session, email=form.email.data, address=address):
            form.password.errors.append(_("Too many failed attempts. Try again in 15 minutes."))
            return render_template("accounts/login.html", form=form), 429
        user = service.authenticate(
            session, email=form.email.data, password=form.password.data, address=address
        )
        session.commit()
        if user is not None:
            cookie.permanent = True  # expires after PERMANENT_SESSION_LIFETIME (8 hours)
            login_user(user)
            return redirect(_safe_next(request.args.get("next"), user))
        form.password.errors.append(_("Wrong e-mail or password."))
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("public.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every other session of the account (and this one starts afresh)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        session = get_session()
        if (
            service.authenticate(
                session,
                email=current_user.email,
                password=form.current.data,
                address=request.remote_addr or "unknown",
            )
            is None
        ):
            session.commit()  # the failed attempt counts against guessing
            form.current.errors.append(_("Wrong password."))
        else:
            service.change_password(session, user=current_user, password=form.password.data)
            session.commit()
            login_user(current_user)  # this session carries the new session version
            flash(_("Password changed. Every other session of this account is logged out."))
            return redirect(url_for("public.home"))
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200
