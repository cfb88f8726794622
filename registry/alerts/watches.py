"""Watching an agency by e-mail, with no account (as the UK's GLAA "Active Check" does for its
licences): the visitor leaves an address on the agency's page; a first message asks to confirm
(double opt-in); once confirmed, a message goes out whenever the agency's verdict changes (a
sanction, a lapsed licence, a lifted suspension), each with a one-click unsubscribe link and the
List-Unsubscribe headers of RFC 8058. Tokens are kept hashed; addresses are never shown; an
address that does not confirm within CONFIRM_WITHIN is forgotten.

The background worker runs `tell_changes` every turn: it reads the verdict of the watched
agencies changed since they were last checked, and of all of them once a day (a verdict changes
with the date alone), and writes a message for each watch whose verdict changed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_
from sqlmodel import Session, select

from registry import mail
from registry.agencies.records import load_full, verdict_for
from registry.alerts.notices import absolute
from registry.clock import today
from registry.models import Agency, Watch, utcnow
from registry.regulation.operations import RuleBroken

CONFIRM_WITHIN = timedelta(days=7)
PENDING_PER_ADDRESS = 5  # unconfirmed watches an address may have at once (no mail bombing)
BATCH = 500


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ask(session: Session, *, agency: Agency, email: str, lang: str) -> None:
    """Record a watch and send the message that confirms it. Asking again for the same agency
    sends a new confirmation (the old link stops working); a confirmed watch stays as it is."""
    email = email.strip().lower()
    pending = session.exec(
        select(func.count())
        .select_from(Watch)
        .where(Watch.email == email, Watch.confirmed_at.is_(None))
    ).one()
    watch = session.exec(
        select(Watch).where(Watch.agency_id == agency.id, Watch.email == email)
    ).first()
    if watch is not None and watch.confirmed_at is not None:
        return  # nothing to confirm; the same answer as for a new watch (no address is revealed)
    if watch is None and pending >= PENDING_PER_ADDRESS:
        raise RuleBroken(
            _("this address has too many watches waiting to be confirmed: confirm them first")
        )
    token = secrets.token_urlsafe(24)
    watch = watch or Watch(agency_id=agency.id, email=email)
    watch.lang, watch.token_hash, watch.created_at = lang, _hash(token), utcnow()
    session.add(watch)
    with force_locale(lang):
        mail.queue(
            session,
            to=email,
            subject=_("Confirm: news about %(agency)s", agency=agency.name),
            body=_(
                "Someone, probably you, asked to be told by e-mail when the standing of "
                "%(agency)s changes in the recruitment registry.\n\nTo confirm, open this "
                "link within 7 days:\n%(link)s\n\nIf you did not ask, ignore this message: "
                "nothing will be sent.",
                agency=agency.name,
                link=absolute(f"/watch/{token}/confirm"),
            ),
        )


def by_token(session: Session, token: str) -> Watch | None:
    if not token or len(token) > 100:
        return None
    return session.exec(select(Watch).where(Watch.token_hash == _hash(token))).first()


def confirm(session: Session, *, watch: Watch) -> None:
    """Confirm a watch: from now on its address hears of changes to the agency's verdict."""
    if watch.confirmed_at is None:
        agency = load_full(session, [watch.agency_id])[watch.agency_id]
        watch.confirmed_at, watch.checked_at = utcnow(), utcnow()
        watch.last_code = verdict_for(agency, today()).code
        session.add(watch)


def stop(session: Session, *, watch: Watch) -> None:
    """Unsubscribe: the watch and its address are deleted."""
    session.delete(watch)


def tell_changes(app: Flask) -> int:
    """Write a message for each confirmed watch whose agency's verdict changed since it was
    last told; forget unconfirmed watches past CONFIRM_WITHIN. Returns the messages written."""
    engine = app.extensions["registry.engine"]
    now, on = utcnow(), today()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    written = 0
    with app.app_context(), Session(engine) as session:
        session.exec(
            delete(Watch).where(
                Watch.confirmed_at.is_(None), Watch.created_at < now - CONFIRM_WITHIN
            )
        )
        due = session.exec(
            select(Watch)
            .join(Agency, Agency.id == Watch.agency_id)
            .where(
                Watch.confirmed_at.is_not(None),
                or_(
                    Watch.checked_at.is_(None),
                    Watch.checked_at < day_start,  # the date alone changes verdicts
                    Agency.updated_at > Watch.checked_at,
                ),
            )
            .limit(BATCH)
        ).all()
        agencies = load_full(session, sorted({w.agency_id for w in due}))
        for watch in due:
            agency = agencies.get(watch.agency_id)
            watch.checked_at = now
            if agency is None:
                continue
            verdict = verdict_for(agency, on)
            if verdict.code != watch.last_code:
                _tell(session, watch, agency, verdict)
                watch.last_code = verdict.code
                written += 1
            session.add(watch)
        session.commit()
    return written


def _tell(session: Session, watch: Watch, agency: Agency, verdict) -> None:
    from registry.vocab import VERDICTS

    token = secrets.token_urlsafe(24)  # a fresh link each time; the old ones stop working
    watch.token_hash = _hash(token)
    stop_link = absolute(f"/watch/{token}/stop")
    with force_locale(watch.lang):
        reasons = "\n".join("- " + r.text(_) for r in verdict.reasons[:5])
        mail.queue(
            session,
            to=watch.email,
            subject=_(
                "%(agency)s: %(verdict)s", agency=agency.name, verdict=_(VERDICTS[verdict.code])
            ),
            body=_(
                "The standing of %(agency)s in the recruitment registry has changed.\n\n"
                "%(summary)s\n%(reasons)s\n\nSee its record: %(link)s\n\nTo stop these "
                "messages: %(stop)s",
                agency=agency.name,
                summary=verdict.summary(_),
                reasons=reasons,
                link=absolute(f"/agencies/{agency.id}"),
                stop=stop_link,
            ),
            headers={
                "List-Unsubscribe": f"<{stop_link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
