"""The mail outbox: queue in the caller's transaction, deliver what is due (see registry.mail)."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import func, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from registry.mail.smtp import message, send_now
from registry.models import utcnow
from registry.models.mail import MailOutbox

log = logging.getLogger("registry.mail")
MAX_ATTEMPTS = 8  # over about a day: 1, 2, 4 ... 128 minutes apart
LEASE = timedelta(minutes=2)
_sending = threading.Lock()  # one sender thread per process at a time
_again = threading.Event()  # mail was queued since the sender last looked


def queue(session: Session, *, to: str, subject: str, body: str, headers=None) -> MailOutbox:
    """Add a message to the outbox; it leaves once the caller's transaction commits."""
    if has_request_context():
        g.mail_queued = True  # the request sends it once it has answered (registry.mail)
    row = MailOutbox(
        recipient=to,
        subject=subject[:300],
        body=body,
        headers=json.dumps(headers) if headers else "",
    )
    session.add(row)
    return row


def _claim(engine: Engine, limit: int) -> list[MailOutbox]:
    """Take up to `limit` due messages under a lease (another sender skips them until it ends)."""
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        due = session.exec(
            select(MailOutbox.id)
            .where(
                MailOutbox.failed_at.is_(None),
                MailOutbox.next_attempt_at <= now,
                or_(MailOutbox.lease_until.is_(None), MailOutbox.lease_until < now),
            )
            .order_by(MailOutbox.id)
            .limit(limit)
        ).all()
        taken = []
        for row_id in due:
            claimed = session.exec(
                update(MailOutbox)
                .where(
                    MailOutbox.id == row_id,
                    or_(MailOutbox.lease_until.is_(None), MailOutbox.lease_until < now),
                )
                .values(lease_until=now + LEASE)
            )
            if claimed.rowcount == 1:
                taken.append(row_id)
        session.commit()
        return list(session.exec(select(MailOutbox).where(MailOutbox.id.in_(taken))).all())


def deliver(engine: Engine, config: dict, *, limit: int = 100) -> int:
    """Send the messages that are due; return how many the server accepted (or were logged)."""
    sent = 0
    for row in _claim(engine, limit):
        mail = message(
            to=row.recipient,
            subject=row.subject,
            body=row.body,
            sender=config["MAIL_SENDER"],
            headers=json.loads(row.headers) if row.headers else {},
        )
        error = send_now(config, mail)
        with Session(engine) as session:
            stored = session.get(MailOutbox, row.id)
            if error is None:
                session.delete(stored)  # a sent message (its links are secrets) is not kept
                sent += 1
            else:
                stored.attempts += 1
                stored.last_error, stored.lease_until = error[:500], None
                stored.next_attempt_at = utcnow() + timedelta(minutes=2 ** (stored.attempts - 1))
                if stored.attempts >= MAX_ATTEMPTS:
                    stored.failed_at = utcnow()
                    log.error("mail to %s given up: %s", row.recipient, error)
                session.add(stored)
            session.commit()
    return sent


def failed(engine: Engine) -> int:
    """Messages given up on (shown by /healthz)."""
    with Session(engine) as session:
        return session.exec(
            select(func.count()).select_from(MailOutbox).where(MailOutbox.failed_at.is_not(None))
        ).one()


def kick(app: Flask | None = None) -> threading.Thread | None:
    """Deliver what is due now, in a thread (none when this process already sends): called after
    a commit that queued mail. Without a mail server the messages are only logged, at once."""
    app = app or current_app._get_current_object()
    engine, config = app.extensions["registry.engine"], config_of(app)
    if not config["MAIL_SERVER"]:
        deliver(engine, config)
        return None
    _again.set()  # whoever sends now (this thread or one already at it) looks once more
    if not _sending.acquire(blocking=False):
        return None

    def run() -> None:
        while True:
            try:
                while True:
                    _again.clear()
                    deliver(engine, config)
                    if not _again.is_set():
                        break
            except Exception:  # noqa: BLE001 - logged; the rows stay for the worker
                log.exception("delivering mail failed; the worker will try again")
            finally:
                _sending.release()
            # A kick that came while this thread was finishing found the lock taken.
            if not _again.is_set() or not _sending.acquire(blocking=False):
                return

    thread = threading.Thread(target=run, name="registry-mail", daemon=True)
    thread.start()
    return thread


def config_of(app: Flask) -> dict:
    return {key: app.config[key] for key in _CONFIG_KEYS}


_CONFIG_KEYS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_SECURITY",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_SENDER",
)
