from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

from registry.models.authority import Authority
from registry.models.base import utcnow

if TYPE_CHECKING:
    from registry.models.agency import Agency
    from registry.models.source import ListSource


class Sanction(SQLModel, table=True):
    """A measure an authority imposed. Never deleted: an ended sanction stays with its dates."""

    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    authority_id: Optional[int] = Field(default=None, foreign_key="authority.id", index=True)
    type: str = Field(max_length=30)
    # The country where it was imposed: its authority's (registry.verdict reads each country's
    # standing from its own sanctions).
    country: str = Field(default="", max_length=2)
    decision_ref: str = Field(default="", max_length=120)
    starts_on: date
    ends_on: Optional[date] = None  # None: indefinite
    summary: str = Field(default="", max_length=4000)
    appeal_state: str = Field(default="none", max_length=20)
    # Four eyes: a revocation or a ban is "awaiting_confirmation" until a second regulator of the
    # same authority confirms it; only sanctions "in_force" count for the verdict and the public.
    status: str = Field(default="in_force", max_length=30, index=True)
    proposed_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    confirmed_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    licence_id: Optional[int] = Field(default=None, foreign_key="licence.id")
    # Lifted by the authority before its end: it no longer applies from `lifted_on` on.
    lifted_on: Optional[date] = None
    lift_reason: str = Field(default="", max_length=2000)
    # Taken from another register's list (registry.opendata.lists): the list, the entry's own
    # id there, a link to it, and the date of the list it was last read from.
    source_id: Optional[int] = Field(default=None, foreign_key="list_source.id", index=True)
    source_ref: str = Field(default="", max_length=200)
    source_url: str = Field(default="", max_length=500)
    published_on: Optional[date] = None
    # The language `summary` is written in ("" when unknown); translations in PublicText.
    lang: str = Field(default="", max_length=8)
    created_at: datetime = Field(default_factory=utcnow)

    agency: Optional["Agency"] = Relationship(back_populates="sanctions")
    authority: Optional[Authority] = Relationship()
    source: Optional["ListSource"] = Relationship()
    events: list["SanctionEvent"] = Relationship(
        back_populates="sanction", sa_relationship_kwargs={"order_by": "SanctionEvent.id"}
    )


class SanctionEvent(SQLModel, table=True):
    """What happened to a sanction after it was imposed: lifted, or an appeal lodged, upheld or
    overturned. On a sanction that needed a second regulator (a revocation or a ban), the event
    waits for one too ("awaiting_confirmation") and changes nothing until confirmed."""

    __tablename__ = "sanction_event"
    id: Optional[int] = Field(default=None, primary_key=True)
    sanction_id: int = Field(foreign_key="sanction.id", index=True)
    kind: str = Field(max_length=30)  # lifted | appeal_lodged | appeal_upheld | appeal_overturned
    on: date
    reason: str = Field(default="", max_length=2000)
    status: str = Field(default="in_force", max_length=30)
    proposed_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    confirmed_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)

    sanction: Optional[Sanction] = Relationship(back_populates="events")
