from datetime import datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.models.base import utcnow


class Notice(SQLModel, table=True):
    """A line in a staff member's inbox (registry.alerts): what happened, in the words of a
    msgid and its parameters (so that it reads in the language of whoever opens the inbox),
    and where to look."""

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    kind: str = Field(max_length=30)  # sanction | finding | referral | red_flag | phoenix
    message: str = Field(max_length=500)  # a msgid
    params: str = Field(default="{}", max_length=2000)  # JSON
    link: str = Field(default="", max_length=300)  # a path in the registry
    agency_id: Optional[int] = Field(default=None, foreign_key="agency.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: Optional[datetime] = None


class Watch(SQLModel, table=True):
    """Someone who asked, by e-mail and without an account, to be told when an agency's
    standing changes (registry.alerts.watches). It counts once confirmed (double opt-in); the
    token in its links is kept hashed; `last_code` is the verdict last told."""

    __table_args__ = (UniqueConstraint("agency_id", "email"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    email: str = Field(max_length=254)
    lang: str = Field(default="es", max_length=8)
    token_hash: str = Field(max_length=64, unique=True)
    confirmed_at: Optional[datetime] = None
    last_code: str = Field(default="", max_length=30)
    checked_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
