"""Account rules: creating users, checking passwords, limiting guesses. No request needed."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from registry.ids import to_id
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
    """A rule was broken; the message says which, for the person who typed it (a lazy string,
    as registry.regulation.operations.RuleBroken's)."""


# werkzeug's scrypt at its default cost (n=2**15, r=8, p=1). The tests lower the cost (their
# fixtures create hundreds of accounts; tests/conftest.py) and check this default once.
PASSWORD_METHOD = "scrypt"
password_method = PASSWORD_METHOD


def hash_password(password: str) -> str:
    """scrypt, werkzeug's default KDF."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            _l("the password must have at least %(count)d characters", count=MIN_PASSWORD)
        )
    return generate_password_hash(password, method=password_method)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _authority_for(
    session: Session, role: str, authority_id: int | None, organisation: str
) -> Authority | None:
    """The authority a regulator belongs to (None for the other roles); an NGO account needs
    its organisation."""
    if role == "regulator":
        authority = session.get(Authority, authority_id) if authority_id else None
        if authority is None:
            raise AccountError(_l("a regulator belongs to an authority"))
        return authority
    if role == "ngo" and not organisation:
        raise AccountError(_l("an NGO account belongs to an organisation"))
    return None


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    password: str,
    authority_id: int | None = None,
    organisation: str = "",
    country: str = "",
) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError(_l("“%(email)s” is not an e-mail address", email=email))
    if role not in ROLES:
        raise AccountError(_l("role must be one of %(roles)s", roles=", ".join(ROLES)))
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(_l("an account for %(email)s exists already", email=email))
    authority = _authority_for(session, role, authority_id, organisation)
    if authority is not None:
        country = authority.country
    user = User(
        email=email,
        role=role,
        password_hash=hash_password(password),
        authority_id=authority_id if role == "regulator" else None,
        organisation=organisation if role == "ngo" else "",
        country=country.upper(),
    )
    session.add(user)
    session.flush()
    return user


def recent_attempts(session: Session, key: str) -> int:
    since = utcnow() - WINDOW
    return session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.key == key, LoginAttempt.at >= since)
    ).one()


def login_blocked(session: Session, *, email: str, address: str) -> bool:
    account = f"account:{normalise_email(email)}"
    return (
        recent_attempts(session, account) >= MAX_FAILURES_PER_ACCOUNT
        or recent_attempts(session, f"address:{address}") >= MAX_FAILURES_PER_ADDRESS
    )


def authenticate(session: Session, *, email: str, password: str, address: str) -> User | None:
    """The active user with this e-mail and password, or None (and the failure is counted)."""
    email = normalise_email(email)
    user = session.exec(select(User).where(User.email == email)).first()
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    valid = check_password_hash(stored, password) and user is not None and bool(user.password_hash)
    if user is not None and valid and user.active:
        session.exec(delete(LoginAttempt).where(LoginAttempt.key == f"account:{email}"))
        return user
    # Attempts are kept for their window only: older ones count for nothing and are pruned.
    session.exec(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - WINDOW))
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
    user_id, version = to_id(user_id), to_id(version)
    if user_id is None or version is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


# -- administration (admins only; every change audited) ---------------------------------------
INVITE_DAYS = 7


def _require_admin(actor: User) -> None:
    from registry.permissions import can

    if not can(actor, "users.manage"):
        raise AccountError(_l("only an administrator manages accounts"))


def audit_account(session: Session, actor: User, action: str, user: User, before: dict) -> None:
    from registry.audit.chain import append

    after = {
        "email": user.email,
        "role": user.role,
        "active": user.active,
        "authority_id": user.authority_id,
        "organisation": user.organisation,
    }
    append(
        session,
        actor=actor.email,
        actor_id=actor.id,
        action=action,
        entity="user_account",
        entity_id=user.id,
        agency_id=None,
        before=before,
        after=after,
    )


def snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "role": user.role,
        "active": user.active,
        "authority_id": user.authority_id,
        "organisation": user.organisation,
    }


def invite_user(
    session: Session,
    *,
    actor: User,
    email: str,
    role: str,
    authority_id: int | None = None,
    organisation: str = "",
    country: str = "",
) -> tuple[User, str]:
    """Create an account without a password and return a one-time token to choose one."""
    import hashlib
    import secrets

    _require_admin(actor)
    token = secrets.token_urlsafe(32)
    user = create_user(
        session,
        email=email,
        role=role,
        password=secrets.token_urlsafe(24),
        authority_id=authority_id,
        organisation=organisation,
        country=country,
    )
    user.password_hash = ""  # no password until the invitation is accepted
    user.invite_hash = hashlib.sha256(token.encode()).hexdigest()
    user.invite_expires = utcnow() + timedelta(days=INVITE_DAYS)
    session.add(user)
    session.flush()
    audit_account(session, actor, "user.invite", user, {})
    return user, token


def invited_user(session: Session, token: str) -> User | None:
    import hashlib

    user = session.exec(
        select(User).where(User.invite_hash == hashlib.sha256(token.encode()).hexdigest())
    ).first()
    if user is None or user.invite_expires is None or user.invite_expires < utcnow():
        return None
    return user


def accept_invite(session: Session, *, user: User, password: str) -> None:
    """Set the password of an invited account; the invitation is spent. Audited as the
    account's own act (what it did, never the password or its hash)."""
    user.password_hash = hash_password(password)
    user.invite_hash, user.invite_expires = None, None
    session.add(user)
    session.flush()
    audit_account(session, user, "user.accept_invite", user, snapshot(user))


def update_account(
    session: Session,
    *,
    actor: User,
    user: User,
    role: str,
    active: bool,
    authority_id: int | None,
    organisation: str,
) -> None:
    """Change a role or disable an account; a disabled account's sessions end at once."""
    _require_admin(actor)
    if user.id == actor.id and (not active or role != "admin"):
        raise AccountError(_l("you cannot disable or demote your own account"))
    if role not in ROLES:
        raise AccountError(_l("role must be one of %(roles)s", roles=", ".join(ROLES)))
    authority = _authority_for(session, role, authority_id, organisation)
    before = snapshot(user)
    user.role, user.active = role, active
    user.authority_id = authority_id if role == "regulator" else None
    user.organisation = organisation if role == "ngo" else ""
    if authority is not None:
        user.country = authority.country
    if before != snapshot(user):
        user.session_version += 1  # a new role or a disabled account: log out everywhere
    session.add(user)
    session.flush()
    audit_account(session, actor, "user.update", user, before)
