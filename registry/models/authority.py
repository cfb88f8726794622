from typing import Optional

from sqlmodel import Field, SQLModel


class Authority(SQLModel, table=True):
    """A public authority that uses the registry, of one country. Its `kind` says what it may do
    (registry.permissions): a licensing regulator (a labour or migration ministry) licenses and
    sanctions the agencies of its country; a labour inspectorate of a destination country, and a
    consulate or labour attaché of an origin country stationed abroad (`station`), record
    monitoring visits and findings on the agencies whose corridors reach them."""

    id: Optional[int] = Field(default=None, primary_key=True)
    # A short code people type (`create-user --authority MX-STPS`); unique when given.
    code: Optional[str] = Field(default=None, max_length=40, unique=True)
    name: str = Field(max_length=200, index=True)
    country: str = Field(max_length=2, index=True)
    kind: str = Field(default="licensing", max_length=20)  # see vocab.AUTHORITY_KINDS
    # Where a consulate or labour attaché sits ("" for authorities at home).
    station: str = Field(default="", max_length=2)
    website: str = Field(default="", max_length=300)
    contact: str = Field(default="", max_length=300)  # a postal address or office hours
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=60)
    # The languages it answers in, as codes separated by commas ("es,en").
    languages: str = Field(default="", max_length=100)

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]
