from datetime import date, datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.models.base import utcnow


class LookupTally(SQLModel, table=True):
    """How many lookups a day found what (registry.statistics.tally): counts only, never who
    looked nor from where."""

    __tablename__ = "lookup_tally"
    day: date = Field(primary_key=True)
    country: str = Field(default="", max_length=2, primary_key=True)  # the filter chosen, if any
    outcome: str = Field(max_length=20, primary_key=True)  # licensed | other | similar | none
    count: int = 0


class SearchedName(SQLModel, table=True):
    """A name typed into the lookup that matched nothing, or only look-alikes, and how often
    that day: what regulators read as ghost consultants and impersonators. The text is the
    lookup's normal form of the name (case and accents folded), never tied to a visitor; days
    older than registry.statistics.tally.KEEP_DAYS are deleted."""

    __tablename__ = "searched_name"
    day: date = Field(primary_key=True)
    name_key: str = Field(max_length=200, primary_key=True)
    country: str = Field(default="", max_length=2, primary_key=True)
    outcome: str = Field(max_length=20, primary_key=True)  # similar | none
    shown: str = Field(default="", max_length=200)  # one spelling as typed, for the page
    nearest_id: Optional[int] = None  # the licensed look-alike shown first, for "similar"
    count: int = 0


class StatisticsSnapshot(SQLModel, table=True):
    """The public statistics as last computed by the background worker: the page reads this
    one row rather than counting a million records per request."""

    __tablename__ = "statistics_snapshot"
    id: int = Field(default=1, primary_key=True)
    computed_at: datetime = Field(default_factory=utcnow)
    data: str = Field(default="{}")  # JSON: registry.statistics.figures.compute


class PlacementReturn(SQLModel, table=True):
    """A licence's yearly return: the workers the agency placed that year in one destination
    country, by sex (as the licensing regulator records or imports them)."""

    __tablename__ = "placement_return"
    __table_args__ = (UniqueConstraint("licence_id", "year", "destination"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    licence_id: int = Field(foreign_key="licence.id", index=True)
    year: int
    destination: str = Field(max_length=2)
    women: int = 0
    men: int = 0
    unspecified: int = 0  # sex not recorded, or another
    updated_at: datetime = Field(default_factory=utcnow)
