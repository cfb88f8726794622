from typing import Optional

from sqlmodel import Field, SQLModel, UniqueConstraint


class PublicText(SQLModel, table=True):
    """A regulator's public text in another language: a sanction's or a finding's summary, a
    red flag's public summary. The record keeps the text as first written, with its language."""

    __tablename__ = "public_text"
    __table_args__ = (UniqueConstraint("entity", "entity_id", "lang"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    entity: str = Field(max_length=40)  # sanction | finding | red_flag
    entity_id: int = Field(index=True)
    lang: str = Field(max_length=8)
    text: str = Field(max_length=4000)
