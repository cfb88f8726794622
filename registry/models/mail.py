from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from registry.models.base import utcnow


class MailOutbox(SQLModel, table=True):
    """A message waiting to be sent (registry.mail). Requests add it in their own transaction,
    so a committed change never loses its message and a request never waits for the mail
    server; a sender takes it under a lease, and deletes it once the server accepted it."""

    __tablename__ = "mail_outbox"
    id: Optional[int] = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=20000)
    # Extra headers as JSON ({"List-Unsubscribe": "<...>"}), or "".
    headers: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    lease_until: Optional[datetime] = None  # a sender is on it until then
    failed_at: Optional[datetime] = None  # given up after MAX_ATTEMPTS
    last_error: str = Field(default="", max_length=500)
