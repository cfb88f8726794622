from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Numeric, UniqueConstraint
from sqlmodel import Column, Field, Relationship, SQLModel

from registry.models.base import utcnow


class MigrationCategory(SQLModel, table=True):
    """A way into a destination country to work (a visa or a programme: the United States'
    H-2A, Canada's seasonal agricultural workers programme, ...), kept by that country's
    regulators (registry.guidance). Its documents and costs are its items."""

    __tablename__ = "migration_category"
    __table_args__ = (UniqueConstraint("country", "code"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    country: str = Field(max_length=2, index=True)  # the destination
    code: str = Field(max_length=40)  # "H-2A", as the country names it
    name: str = Field(max_length=200)
    summary: str = Field(default="", max_length=2000)  # who it is for, in plain words
    lang: str = Field(default="es", max_length=8)  # the language name and summary are in
    source_name: str = Field(default="", max_length=300)  # the law or rule that sets it
    source_url: str = Field(default="", max_length=500)
    demo: bool = False  # a fictional example of the demo data, said on every page
    updated_at: datetime = Field(default_factory=utcnow)
    items: list["CategoryItem"] = Relationship(back_populates="category")


class CategoryItem(SQLModel, table=True):
    """A document a category requires, or a cost and who pays it, with its legal source and
    the date it takes effect. Never changed in place: a new rule ends the old one (`ends_on`),
    so what applied on any date stays readable."""

    __tablename__ = "category_item"
    id: Optional[int] = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="migration_category.id", index=True)
    category: Optional[MigrationCategory] = Relationship(back_populates="items")
    kind: str = Field(max_length=20)  # document | cost (registry.vocab.REQUIREMENT_KINDS)
    purpose: str = Field(default="", max_length=30)  # a cost's: registry.vocab.CHARGE_PURPOSES
    name: str = Field(max_length=300)
    amount: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric(12, 2)))
    currency: str = Field(default="", max_length=3)
    payer: str = Field(default="", max_length=20)  # a cost's: worker | employer
    notes: str = Field(default="", max_length=2000)
    source_name: str = Field(default="", max_length=300)
    source_url: str = Field(default="", max_length=500)
    effective_on: date
    ends_on: Optional[date] = None  # the day a newer rule took its place
    created_at: datetime = Field(default_factory=utcnow)

    def in_force(self, on: date) -> bool:
        return self.effective_on <= on and (self.ends_on is None or on < self.ends_on)


class HelpContact(SQLModel, table=True):
    """Where a migrant gets help: a consulate or embassy, a labour attaché, an organisation,
    free legal aid, a help line or a trafficking help line (registry.vocab.HELP_KINDS), kept by
    administrators and organisations."""

    __tablename__ = "help_contact"
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    name: str = Field(max_length=200)
    country: str = Field(max_length=2, index=True)  # where it is
    serves: str = Field(default="", max_length=2)  # a consulate's: whose nationals it serves
    address: str = Field(default="", max_length=300)
    city: str = Field(default="", max_length=100)
    hours: str = Field(default="", max_length=200)
    languages: str = Field(default="", max_length=100)  # codes separated by commas: "es,ht"
    phone: str = Field(default="", max_length=50)
    whatsapp: str = Field(default="", max_length=50)
    email: str = Field(default="", max_length=200)
    website: str = Field(default="", max_length=300)
    notes: str = Field(default="", max_length=1000)
    active: bool = True
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]
