
from typing import Optional

from sqlmodel import Field, SQLModel


class Authority(SQLModel, table=True):
    """A regulator: a labour or migration ministry of one country."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    country: str = Field(max_length=2, index=True)
    website: str = Field(default="", max_length=300)
    contact: str = Field(default="", max_length=300)
