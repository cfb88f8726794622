"""the PostgreSQL search backend's tables (PostgreSQL only)

search_document (a tsvector of name words, sound keys and identifier keys per public agency, GIN
indexed), search_word and search_term (how many agencies hold each name word / sound key /
identifier; a pg_trgm GIN index on the words for typo expansion) and search_state (the document
format). See registry/search/postgres_index.py.
On SQLite the Whoosh index folder plays this part and nothing is created.

The tables start empty: `init-db` sees the missing format and rebuilds them from the records.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "search_document",
        sa.Column("agency_id", sa.Integer(), primary_key=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("terms", postgresql.TSVECTOR(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("name_keys", sa.JSON(), nullable=False),
    )
    # A small pending list: GIN defers inserted entries to a list every search scans in full
    # (4 MB by default), so a freshly written index would be slow until the next vacuum.
    op.create_index(
        "ix_search_document_terms",
        "search_document",
        ["terms"],
        postgresql_using="gin",
        postgresql_with={"gin_pending_list_limit": 256},
    )
    op.create_table(
        "search_word",
        sa.Column("word", sa.Text(), primary_key=True),
        sa.Column("frequency", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ix_search_word_trigrams",
        "search_word",
        ["word"],
        postgresql_using="gin",
        postgresql_ops={"word": "gin_trgm_ops"},
        postgresql_with={"gin_pending_list_limit": 256},
    )
    op.create_table(
        "search_term",
        sa.Column("field", sa.String(1), primary_key=True),
        sa.Column("term", sa.Text(), primary_key=True),
        sa.Column("frequency", sa.Integer(), nullable=False),
    )
    op.create_table(
        "search_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("search_state")
    op.drop_table("search_term")
    op.drop_table("search_word")
    op.drop_table("search_document")
