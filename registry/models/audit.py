from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from registry.models.base import utcnow


class AuditEntry(SQLModel, table=True):
    """One write, who made it and what changed; chained by hash to the entry before it."""

    __tablename__ = "audit_entry"
    id: Optional[int] = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, index=True)
    at: datetime = Field(default_factory=utcnow)
    actor_id: Optional[int] = Field(default=None, index=True)
    actor: str = Field(max_length=300)  # e-mail, "cli", "public"; kept as written at the time
    action: str = Field(max_length=60)
    entity: str = Field(max_length=40)
    entity_id: Optional[int] = Field(default=None, index=True)
    agency_id: Optional[int] = Field(default=None, index=True)
    before: str = Field(default="{}")  # canonical JSON
    after: str = Field(default="{}")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The single row naming the chain's last entry; updating it serialises writers."""

    __tablename__ = "audit_head"
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    last_hash: str = Field(default="0" * 64, max_length=64)
    # How entries are hashed: 1, SHA-256 (before migration 0011; `init-db` rekeys such a chain
    # once it verifies); 2, HMAC-SHA-256 with the audit key, kept outside the database.
    scheme: int = 2
