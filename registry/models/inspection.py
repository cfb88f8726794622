from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from registry.models.base import utcnow


class Inspection(SQLModel, table=True):
    """An inspection or a monitoring visit. The public sees the date, the kind and the outcome;
    the notes are for regulators."""

    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    authority_id: Optional[int] = Field(default=None, foreign_key="authority.id")
    kind: str = Field(default="inspection", max_length=20)  # inspection | monitoring_visit
    visited_on: date
    outcome: str = Field(max_length=20)  # compliant | issues_found | serious_breaches
    notes: str = Field(default="", max_length=8000)
    recorded_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
