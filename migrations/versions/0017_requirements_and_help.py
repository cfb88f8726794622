"""requirements and help: migration categories with their documents and costs, and the
directory of help

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
When = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "migration_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", String(length=2), nullable=False),
        sa.Column("code", String(length=40), nullable=False),
        sa.Column("name", String(length=200), nullable=False),
        sa.Column("summary", String(length=2000), nullable=False),
        sa.Column("lang", String(length=8), nullable=False),
        sa.Column("source_name", String(length=300), nullable=False),
        sa.Column("source_url", String(length=500), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("updated_at", When(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("country", "code"),
    )
    with op.batch_alter_table("migration_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_migration_category_country"), ["country"])
    op.create_table(
        "category_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=20), nullable=False),
        sa.Column("purpose", String(length=30), nullable=False),
        sa.Column("name", String(length=300), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=True),
        sa.Column("currency", String(length=3), nullable=False),
        sa.Column("payer", String(length=20), nullable=False),
        sa.Column("notes", String(length=2000), nullable=False),
        sa.Column("source_name", String(length=300), nullable=False),
        sa.Column("source_url", String(length=500), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", When(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["migration_category.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("category_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_category_item_category_id"), ["category_id"])
    op.create_table(
        "help_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=30), nullable=False),
        sa.Column("name", String(length=200), nullable=False),
        sa.Column("country", String(length=2), nullable=False),
        sa.Column("serves", String(length=2), nullable=False),
        sa.Column("address", String(length=300), nullable=False),
        sa.Column("city", String(length=100), nullable=False),
        sa.Column("hours", String(length=200), nullable=False),
        sa.Column("languages", String(length=100), nullable=False),
        sa.Column("phone", String(length=50), nullable=False),
        sa.Column("whatsapp", String(length=50), nullable=False),
        sa.Column("email", String(length=200), nullable=False),
        sa.Column("website", String(length=300), nullable=False),
        sa.Column("notes", String(length=1000), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", When(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("help_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_help_contact_country"), ["country"])


def downgrade() -> None:
    op.drop_table("help_contact")
    op.drop_table("category_item")
    op.drop_table("migration_category")
