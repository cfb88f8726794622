"""Sending e-mail (the standard library's smtplib; nothing else is needed for plain text).

`send()` hands the message to a background thread, so that a request never waits for the mail
server and never answers differently because of it (a password reset for an unknown address
takes as long as one for a known address). A message the server refuses is retried three times,
then logged. Without REGISTRY_MAIL_SERVER (a laptop, the demo), messages are written to the log
instead: the link in a reset message can be read there.

Configuration (environment): REGISTRY_MAIL_SERVER, REGISTRY_MAIL_PORT (25),
REGISTRY_MAIL_SECURITY (none | starttls | ssl), REGISTRY_MAIL_USERNAME, REGISTRY_MAIL_PASSWORD,
REGISTRY_MAIL_SENDER.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

log = logging.getLogger(__name__)
ATTEMPTS = 3
TIMEOUT = 20  # seconds, per connection


def settings(environ) -> dict:
    """The MAIL_* configuration read from the environment (registry.config)."""
    return {
        "MAIL_SERVER": environ.get("REGISTRY_MAIL_SERVER", ""),
        "MAIL_PORT": int(environ.get("REGISTRY_MAIL_PORT", "25")),
        "MAIL_SECURITY": environ.get("REGISTRY_MAIL_SECURITY", "none"),
        "MAIL_USERNAME": environ.get("REGISTRY_MAIL_USERNAME", ""),
        "MAIL_PASSWORD": environ.get("REGISTRY_MAIL_PASSWORD", ""),
        "MAIL_SENDER": environ.get("REGISTRY_MAIL_SENDER", "registry@localhost"),
    }


def message(*, to: str, subject: str, body: str, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(body)
    return mail


def _deliver(config: dict, mail: EmailMessage) -> bool:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            if config["MAIL_SECURITY"] == "ssl":
                server = smtplib.SMTP_SSL(
                    config["MAIL_SERVER"],
                    config["MAIL_PORT"],
                    timeout=TIMEOUT,
                    context=ssl.create_default_context(),
                )
            else:
                server = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=TIMEOUT)
            with server:
                if config["MAIL_SECURITY"] == "starttls":
                    server.starttls(context=ssl.create_default_context())
                if config["MAIL_USERNAME"]:
                    server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                server.send_message(mail)
            return True
        except (OSError, smtplib.SMTPException) as error:
            log.warning("mail to %s, attempt %d of %d: %s", mail["To"], attempt, ATTEMPTS, error)
            time.sleep(min(2**attempt, 10) if attempt < ATTEMPTS else 0)
    log.error("mail to %s not sent after %d attempts: %s", mail["To"], ATTEMPTS, mail["Subject"])
    return False


def send(*, to: str, subject: str, body: str) -> threading.Thread | None:
    """Send a plain-text message in the background (see the module's docstring); returns the
    sending thread, or None when the message was only logged."""
    config = {key: current_app.config[key] for key in settings({})}
    mail = message(to=to, subject=subject, body=body, sender=config["MAIL_SENDER"])
    if not config["MAIL_SERVER"]:
        log.warning(
            "no REGISTRY_MAIL_SERVER: the message to %s is logged, not sent:\n%s\n\n%s",
            to,
            subject,
            body,
        )
        return None
    thread = threading.Thread(
        target=_deliver, args=(config, mail), name="registry-mail", daemon=True
    )
    thread.start()
    return thread
