from typing import Optional

from sqlmodel import Field, SQLModel


class Authority(SQLModel, table=True):
    """A regulator: a labour or migration ministry of one country."""

    id: Optional[int] = Field(default=None, primary_key=True)
    # A short code people type (`create-user --authority MX-STPS`); unique when given.
    code: Optional[str] = Field(default=None, max_length=40, unique=True)
    name: str = Field(max_length=200, index=True)
    country: str = Field(max_length=2, index=True)
    website: str = Field(default="", max_length=300)
    contact: str = Field(default="", max_length=300)  # a postal address or office hours
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=60)
    # The languages it answers in, as codes separated by commas ("es,en").
    languages: str = Field(default="", max_length=100)

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]
