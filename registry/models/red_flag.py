
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

from registry.models.base import utcnow

if TYPE_CHECKING:
    from registry.models.agency import Agency


class RedFlag(SQLModel, table=True):
    """A warning sign reported by an NGO or a member of the public.

    Who reported is kept for regulators only; the public sees the category, the state and the
    regulator's public summary of substantiated red flags.
    """

    __tablename__ = "red_flag"
    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    category: str = Field(max_length=30)
    description: str = Field(max_length=8000)
    public_summary: str = Field(default="", max_length=2000)
    reporter_type: str = Field(default="public", max_length=20)
    reporter_name: str = Field(default="", max_length=200)  # never shown publicly
    state: str = Field(default="received", max_length=20)
    occurred_on: Optional[date] = None
    place: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    agency: Optional["Agency"] = Relationship(back_populates="red_flags")
