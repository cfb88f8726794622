from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

from registry.models.authority import Authority
from registry.models.base import utcnow
from registry.models.red_flag import RedFlag
from registry.models.sanction import Sanction

if TYPE_CHECKING:
    from registry.models.agency import Agency


class FindingRedFlag(SQLModel, table=True):
    """Which red flags a finding rests on."""

    __tablename__ = "finding_red_flag"
    finding_id: int = Field(foreign_key="finding.id", primary_key=True)
    red_flag_id: int = Field(foreign_key="red_flag.id", primary_key=True)


class Finding(SQLModel, table=True):
    """A regulator's finding of fraud or abuse, possibly leading to a sanction."""

    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    authority_id: Optional[int] = Field(default=None, foreign_key="authority.id", index=True)
    sanction_id: Optional[int] = Field(default=None, foreign_key="sanction.id")
    reference: str = Field(default="", max_length=120)
    decided_on: date
    summary: str = Field(max_length=4000)
    lang: str = Field(default="", max_length=8)  # the language of `summary`; see PublicText
    created_at: datetime = Field(default_factory=utcnow)

    agency: Optional["Agency"] = Relationship(back_populates="findings")
    authority: Optional[Authority] = Relationship()
    sanction: Optional[Sanction] = Relationship()
    red_flags: list[RedFlag] = Relationship(link_model=FindingRedFlag)
