"""Forgotten passwords: a one-time link by e-mail, valid for an hour.

Asking gives the same answer, in the same time, whether or not an account has the address (the
message is sent in the background: registry.mail). Requests are limited per address typed and
per connection, counted as failed log-ins are (login_attempt, pruned after the window). The link
is stored as a hash only (the account's one-time-link fields, which an invitation also uses);
setting the password spends it and ends every session of the account."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from registry.accounts import service
from registry.models import LoginAttempt, User, utcnow

LINK_LIFETIME = timedelta(hours=1)
MAX_PER_ACCOUNT = 3  # per service.WINDOW
MAX_PER_ADDRESS = 10


def request_link(session: Session, *, email: str, address: str) -> tuple[User, str] | None:
    """The account and a fresh one-time token, or None (unknown, disabled, or asked too often).
    The caller commits whatever happens: the request is counted either way."""
    email = service.normalise_email(email)
    over = (
        service.recent_attempts(session, f"reset:{email}") >= MAX_PER_ACCOUNT
        or service.recent_attempts(session, f"reset-address:{address}") >= MAX_PER_ADDRESS
    )
    session.add_all(
        [LoginAttempt(key=f"reset:{email}"), LoginAttempt(key=f"reset-address:{address}")]
    )
    if over:
        return None
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    user.invite_hash = hashlib.sha256(token.encode()).hexdigest()
    user.invite_expires = utcnow() + LINK_LIFETIME
    session.add(user)
    return user, token


def reset_password(session: Session, *, user: User, password: str) -> None:
    """Set the new password through a valid link: the link is spent, every session ends, and
    the account's own act is audited (never the password)."""
    service.change_password(session, user=user, password=password)
    user.invite_hash, user.invite_expires = None, None
    session.add(user)
    session.flush()
    service.audit_account(session, user, "user.reset_password", user, service.snapshot(user))
