from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

from registry.models.authority import Authority
from registry.models.base import utcnow

if TYPE_CHECKING:
    from registry.models.agency import Agency


class Licence(SQLModel, table=True):
    """A licence to recruit or advise, issued by one authority in one country."""

    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    authority_id: Optional[int] = Field(default=None, foreign_key="authority.id", index=True)
    number: str = Field(max_length=60)
    # Upper-case letters and digits only: "rl 123-a" and "RL123A" are one licence.
    number_key: str = Field(max_length=60, index=True)
    country: str = Field(max_length=2)
    licence_class: str = Field(default="", max_length=120)
    status: str = Field(default="active", max_length=20)
    valid_from: Optional[date] = None
    valid_until: Optional[date] = None
    conditions: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    agency: Optional["Agency"] = Relationship(back_populates="licences")
    authority: Optional[Authority] = Relationship()
