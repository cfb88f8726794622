from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

from registry.models.base import utcnow

if TYPE_CHECKING:
    from registry.models.agency import Agency


class ListSource(SQLModel, table=True):
    """Another register whose list is imported (registry.opendata.lists): a development bank's
    debarments, a tax authority's list, a destination country's debarred recruiters. Every
    sanction taken from it names it, with the entry's own id and the list's date."""

    __tablename__ = "list_source"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    publisher: str = Field(default="", max_length=200)
    url: str = Field(default="", max_length=500)
    sanction_type: str = Field(default="warning", max_length=30)  # what an entry means here
    # The authority its sanctions name (kind "register": no accounts, no reports routed to it).
    authority_id: Optional[int] = Field(default=None, foreign_key="authority.id")
    published_on: Optional[date] = None  # the date of the last list imported
    created_at: datetime = Field(default_factory=utcnow)


class ListMatch(SQLModel, table=True):
    """An entry of an imported list whose agency the lookup was not sure of: a reviewer says
    whether it is `agency_id` (attach) or another (a new record)."""

    __tablename__ = "list_match"
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="list_source.id", index=True)
    source_ref: str = Field(max_length=200)
    line: int
    entry: str = Field(max_length=8000)  # JSON: the entry as read
    agency_id: int = Field(foreign_key="agency.id")  # the likely agency
    agency: Optional["Agency"] = Relationship()
    score: float = 0.0
    state: str = Field(default="pending", max_length=20)  # pending | attached | created
    decided_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
