"""Outbound mail. Requests and jobs `queue()` a message in their own transaction (the mail
outbox table); `deliver()` sends what is due, from a thread started after the commit (`kick`)
and from the background worker's every turn, so that a request never talks to the mail server
and a message is never lost to a crash or a refused connection (retried with growing delays,
given up after MAX_ATTEMPTS and then shown on /healthz). Without REGISTRY_MAIL_SERVER (a
laptop, the demo) messages are written to the log instead.

Configuration (environment): REGISTRY_MAIL_SERVER, REGISTRY_MAIL_PORT (25),
REGISTRY_MAIL_SECURITY (none | starttls | ssl), REGISTRY_MAIL_USERNAME, REGISTRY_MAIL_PASSWORD,
REGISTRY_MAIL_SENDER.
"""

from registry.mail.outbox import deliver, failed, kick, queue
from registry.mail.smtp import settings

__all__ = ["deliver", "failed", "kick", "queue", "settings"]


def init_app(app) -> None:
    """Deliver due mail after each request that queued some (its transaction committed by
    then), and on every turn of the background worker (registry.search.indexer)."""
    from flask import g

    from registry.mail.outbox import config_of

    @app.after_request
    def send_what_was_queued(response):
        if g.pop("mail_queued", False):
            kick(app)
        return response

    app.extensions.setdefault("registry.jobs", {})["mail"] = lambda: deliver(
        app.extensions["registry.engine"], config_of(app)
    )
