from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlmodel import Field, Relationship, SQLModel

from registry.models.authority import Authority
from registry.models.base import utcnow

if TYPE_CHECKING:
    from registry.models.red_flag import RedFlag


class Referral(SQLModel, table=True):
    """A red flag passed by the authority that reviews it to an authority of another country
    (registry.reports.referrals), with a note; the receiving authority accepts it (it will act
    on it) or declines it, with a note of its own. Both see the trail; every step is audited."""

    id: Optional[int] = Field(default=None, primary_key=True)
    red_flag_id: int = Field(foreign_key="red_flag.id", index=True)
    from_authority_id: int = Field(foreign_key="authority.id", index=True)
    to_authority_id: int = Field(foreign_key="authority.id", index=True)
    note: str = Field(max_length=2000)
    state: str = Field(default="pending", max_length=20)  # pending | accepted | declined
    answer: str = Field(default="", max_length=2000)
    referred_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    decided_by_id: Optional[int] = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: Optional[datetime] = None

    red_flag: Optional["RedFlag"] = Relationship(back_populates="referrals")
    from_authority: Optional[Authority] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "Referral.from_authority_id"}
    )
    to_authority: Optional[Authority] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "Referral.to_authority_id"}
    )
