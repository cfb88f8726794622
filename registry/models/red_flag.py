from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, Relationship, SQLModel

from registry.models.base import utcnow

if TYPE_CHECKING:
    from registry.models.agency import Agency
    from registry.models.referral import Referral


class RedFlag(SQLModel, table=True):
    """A warning sign reported by an NGO or a member of the public.

    Who reported is kept for regulators only; the public sees the category, the state and the
    regulator's public summary of substantiated red flags.
    """

    __tablename__ = "red_flag"
    id: Optional[int] = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    submitted_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id", index=True)
    # sha256 of the receipt code given to an anonymous reporter; the code itself is not kept.
    receipt_hash: Optional[str] = Field(default=None, max_length=64, index=True)
    contact: str = Field(default="", max_length=300)  # optional; regulators only
    reviewed_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    category: str = Field(max_length=30)
    description: str = Field(max_length=8000)
    public_summary: str = Field(default="", max_length=2000)
    lang: str = Field(default="", max_length=8)  # the language of `public_summary`
    reporter_type: str = Field(default="public", max_length=20)
    reporter_name: str = Field(default="", max_length=200)  # never shown publicly
    state: str = Field(default="received", max_length=20)
    occurred_on: Optional[date] = None
    place: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # when a regulator first decided it (substantiated, unsubstantiated or referred): the
    # public statistics give the median time from report to decision
    decided_at: Optional[datetime] = None

    agency: Optional["Agency"] = Relationship(back_populates="red_flags")
    evidence: list["EvidenceFile"] = Relationship(back_populates="red_flag")
    referrals: list["Referral"] = Relationship(
        back_populates="red_flag", sa_relationship_kwargs={"order_by": "Referral.id"}
    )


class EvidenceFile(SQLModel, table=True):
    """A file attached to a red flag (its bytes in EvidenceContent); only regulators open it."""

    __tablename__ = "evidence_file"
    id: Optional[int] = Field(default=None, primary_key=True)
    red_flag_id: int = Field(foreign_key="red_flag.id", index=True)
    original_name: str = Field(max_length=200)
    stored_name: str = Field(max_length=100, unique=True)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)

    red_flag: Optional[RedFlag] = Relationship(back_populates="evidence")


class EvidenceContent(SQLModel, table=True):
    """The bytes of an evidence file, in the database rather than on one server's disk: every
    app server reads the same, they are backed up with the records, and they are written in the
    report's own transaction (a report that fails leaves no file behind). A row of its own, so
    that listing a red flag's files never reads them."""

    __tablename__ = "evidence_content"
    evidence_file_id: int = Field(foreign_key="evidence_file.id", primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
