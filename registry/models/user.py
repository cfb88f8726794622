from datetime import datetime
from typing import Optional

from sqlmodel import Field, Relationship, SQLModel

from registry.models.authority import Authority
from registry.models.base import utcnow


class User(SQLModel, table=True):
    """An account: admin, regulator (of one authority) or NGO (of one organisation)."""

    __tablename__ = "user_account"
    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(default="", max_length=300)
    role: str = Field(max_length=20)
    authority_id: Optional[int] = Field(default=None, foreign_key="authority.id")
    organisation: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=2)
    active: bool = True
    # Bumped when the password changes: every session holding an older value is logged out.
    session_version: int = 1
    # An invitation: sha256 of a one-time token that lets the invitee choose a password.
    invite_hash: Optional[str] = Field(default=None, max_length=64, index=True)
    invite_expires: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)

    authority: Optional[Authority] = Relationship()

    # Flask-Login's user interface.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session holds the id and the session version: a password change ends them all."""
        return f"{self.id}:{self.session_version}"


class LoginAttempt(SQLModel, table=True):
    """A failed log-in, kept for a short while to limit guessing per account and per address."""

    __tablename__ = "login_attempt"
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, index=True)  # "account:<email>" or "address:<ip>"
    at: datetime = Field(default_factory=utcnow, index=True)
