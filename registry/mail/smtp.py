"""Talking to the SMTP server (the standard library's smtplib): one message, one try.
registry.mail.outbox decides when."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

log = logging.getLogger(__name__)
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


def message(
    *, to: str, subject: str, body: str, sender: str, headers: dict | None = None
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    mail["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body)
    return mail


def send_now(config: dict, mail: EmailMessage) -> str | None:
    """Hand one message to the server (or to the log, without a server); None when done, else
    what went wrong (the outbox tries again later)."""
    if not config["MAIL_SERVER"]:
        log.warning(
            "no REGISTRY_MAIL_SERVER: the message to %s is logged, not sent:\n%s\n\n%s",
            mail["To"],
            mail["Subject"],
            mail.get_content(),
        )
        return None
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
        return None
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail to %s not sent this time: %s", mail["To"], error)
        return str(error) or type(error).__name__
