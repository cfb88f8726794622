from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from registry.models.base import utcnow


class IndexOutbox(SQLModel, table=True):
    """An agency whose search document must be rewritten.

    Written in the same transaction as the change itself, so an index update cannot be lost;
    the indexer deletes a row only after the index has committed the agency's new document.
    """

    __tablename__ = "index_outbox"
    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)
