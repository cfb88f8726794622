
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

from registry.models.authority import Authority
from registry.models.base import utcnow

if TYPE_CHECKING:
    from registry.models.agency import Agency


class Sanction(SQLModel, table=True):
    """A measure an authority imposed. Never deleted: an ended sanction stays with its dates."""

    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    authority_id: Optional[int] = Field(default=None, foreign_key="authority.id", index=True)
    type: str = Field(max_length=30)
    decision_ref: str = Field(default="", max_length=120)
    starts_on: date
    ends_on: Optional[date] = None  # None: indefinite
    summary: str = Field(default="", max_length=4000)
    appeal_state: str = Field(default="none", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)

    agency: Optional["Agency"] = Relationship(back_populates="sanctions")
    authority: Optional[Authority] = Relationship()
