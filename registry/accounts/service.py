"""Account rules: creating users, checking passwords, limiting guesses. No request needed."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from registry.models import Authority, LoginAttempt, User, utcnow

ROLES = ("admin", "regulator", "ngo")
MIN_PASSWORD = 12
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
# A hash of a random password: checking it costs what a real check costs, so timing does not
# reveal which e-mail addresses have accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")


class AccountError(ValueError):
    """A rule was broken; the message says which, for the person who typed it."""


def hash_password(password: str) -> str:
    """scrypt, werkzeug's default KDF."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    return generate_password_hash(password, method="scrypt")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(session: Session, *, email: str, role: str, password: str,
                authority_id: int | None = None, organisation: str = "",
                country: str = "") -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError(f"'{email}' is not an e-mail address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(f"an account for {email} exists already")
    if role == "regulator":
        authority = session.get(Authority, authority_id) if authority_id else None
        if authority is None:
            raise AccountError("a regulator belongs to an authority: give --authority ID")
        country = authority.country
    elif role == "ngo" and not organisation:
        raise AccountError("an NGO account belongs to an organisation: give --organisation NAME")
    user = User(email=email, role=role, password_hash=hash_password(password),
                authority_id=authority_id if role == "regulator" else None,
                organisation=organisation if role == "ngo" else "", country=country.upper())
    session.add(user)
    session.flush()
    return user


def _failures(session: Session, key: str) -> int:
    since = utcnow() - WINDOW
    return session.exec(select(func.count()).select_from(LoginAttempt)
                        .where(LoginAttempt.key == key, LoginAttempt.at >= since)).one()


def login_blocked(session: Session, *, email: str, address: str) -> bool:
    return (_failures(session, f"account:{normalise_email(email)}") >= MAX_FAILURES_PER_ACCOUNT
            or _failures(session, f"address:{address}") >= MAX_FAILURES_PER_ADDRESS)


def authenticate(session: Session, *, email: str, password: str, address: str) -> User | None:
    """The active user with this e-mail and password, or None (and the failure is counted)."""
    email = normalise_email(email)
    user = session.exec(select(User).where(User.email == email)).first()
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is not None and valid and user.active:
        session.exec(delete(LoginAttempt).where(LoginAttempt.key == f"account:{email}"))
        return user
    session.add_all([LoginAttempt(key=f"account:{email}"), LoginAttempt(key=f"address:{address}")])
    return None


def change_password(session: Session, *, user: User, password: str) -> None:
    """Set a new password and end every session of this user."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    session.add(user)


def load_session_user(session: Session, session_id: str) -> User | None:
    """The user of a login session, unless disabled or logged out everywhere since."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
