from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from registry.models.base import utcnow

if TYPE_CHECKING:
    from registry.models.finding import Finding
    from registry.models.licence import Licence
    from registry.models.red_flag import RedFlag
    from registry.models.sanction import Sanction


class Agency(SQLModel, table=True):
    """An organisation or a person who recruits or advises migrants."""

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(default="agency", max_length=20, index=True)
    name: str = Field(max_length=300)
    # The normalised name (see registry.search.matching.name_key), used to recognise re-imports.
    name_key: str = Field(default="", max_length=300, index=True)
    country: str = Field(max_length=2, index=True)
    address: str = Field(default="", max_length=500)
    city: str = Field(default="", max_length=120)
    # "registry": recorded by a regulator or an import. "reported": a name people reported that is
    # in no register; it collects red flags for regulators and stays out of public view until one
    # of them reviews it.
    listing: str = Field(default="registry", max_length=20, index=True)
    # A record merged into another (a duplicate, or a reported name found to be a registered
    # agency): its listing is "merged", everything it held moved to the survivor, and its pages
    # redirect there.
    merged_into_id: Optional[int] = Field(default=None, foreign_key="agency.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    names: list["AgencyName"] = Relationship(
        back_populates="agency", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    corridors: list["AgencyCorridor"] = Relationship(
        back_populates="agency", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    contacts: list["AgencyContact"] = Relationship(
        back_populates="agency", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    representatives: list["Representative"] = Relationship(
        back_populates="agency", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    licences: list["Licence"] = Relationship(back_populates="agency")
    sanctions: list["Sanction"] = Relationship(back_populates="agency")
    red_flags: list["RedFlag"] = Relationship(back_populates="agency")
    findings: list["Finding"] = Relationship(back_populates="agency")

    def contact_values(self, contact_type: str) -> list[str]:
        return [c.value for c in self.contacts if c.type == contact_type]

    def corridor_countries(self, direction: str) -> list[str]:
        """The countries it recruits in ("origin") or places workers in ("destination")."""
        return sorted(c.country for c in self.corridors if c.direction == direction)


class AgencyName(SQLModel, table=True):
    """Another name of an agency: a trade name, a former name (phoenix firms) or an alias."""

    __tablename__ = "agency_name"
    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    name: str = Field(max_length=300)
    type: str = Field(default="alias", max_length=20)
    agency: Optional[Agency] = Relationship(back_populates="names")


class AgencyCorridor(SQLModel, table=True):
    """A country an agency recruits workers in (`direction` "origin") or places them in
    ("destination"). The authorities of those countries follow it (registry.permissions)."""

    __tablename__ = "agency_corridor"
    __table_args__ = (UniqueConstraint("agency_id", "country", "direction"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    country: str = Field(max_length=2, index=True)
    direction: str = Field(max_length=12)
    agency: Optional[Agency] = Relationship(back_populates="corridors")


class AgencyContact(SQLModel, table=True):
    """A phone number, an e-mail address or a website the agency uses."""

    __tablename__ = "agency_contact"
    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    type: str = Field(max_length=20)
    value: str = Field(max_length=300)
    agency: Optional[Agency] = Relationship(back_populates="contacts")


class Representative(SQLModel, table=True):
    """A person who officially represents the agency."""

    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    name: str = Field(max_length=200)
    role: str = Field(default="", max_length=120)
    agency: Optional[Agency] = Relationship(back_populates="representatives")
