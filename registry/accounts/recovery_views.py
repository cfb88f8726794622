"""Forgotten passwords on the web: ask for a link, follow it, choose a new password
(registry.accounts.recovery)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user

from registry import mail
from registry.accounts import recovery, service
from registry.accounts.forms import ForgotPasswordForm, SetPasswordForm
from registry.accounts.views import bp
from registry.db import get_session
from registry.permissions import home_endpoint
from registry.security import no_store


@bp.route("/password/forgot", methods=["GET", "POST"])
@no_store
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        session = get_session()
        asked = recovery.request_link(
            session, email=form.email.data, address=request.remote_addr or "unknown"
        )
        if asked is not None:
            user, token = asked
            link = url_for("accounts.reset_password", token=token, _external=True)
            mail.queue(
                session,
                to=user.email,
                subject=_("Choose a new password for the registry"),
                body=_(
                    "Someone, probably you, asked to choose a new password for the "
                    "account %(email)s of the recruitment registry.\n\nOpen this link "
                    "within one hour to choose it (it works once):\n%(link)s\n\nIf you "
                    "did not ask, ignore this message: your password stays as it is.",
                    email=user.email,
                    link=link,
                ),
            )
        session.commit()
        return render_template("accounts/forgot.html", form=None, sent_to=form.email.data)
    return render_template("accounts/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@no_store
def reset_password(token: str):
    user = service.invited_user(get_session(), token[:100])
    if user is None:
        return render_template("accounts/reset_expired.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        recovery.reset_password(get_session(), user=user, password=form.password.data)
        get_session().commit()
        login_user(user)
        flash(_("Your new password is set. Every other session of this account is logged out."))
        return redirect(url_for(home_endpoint(user)))
    return render_template("accounts/accept_invite.html", form=form, user=user), (
        400 if form.errors else 200
    )
