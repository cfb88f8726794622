from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from registry.models.base import utcnow


class ProofOfCheck(SQLModel, table=True):
    """A dated proof that the registry answered a check (registry.proofs): what the verdict and
    its reasons said at that moment, in the language they were read in, under a code printed
    with a QR code that opens /check/<code>. No one's identity is kept."""

    __tablename__ = "proof_of_check"
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    verdict: str = Field(max_length=30)
    lang: str = Field(default="es", max_length=8)
    checked_on: date
    snapshot: str = Field(max_length=20000)  # JSON: the name, summary, reasons and standings
    created_at: datetime = Field(default_factory=utcnow)
