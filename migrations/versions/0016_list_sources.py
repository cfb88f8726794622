"""list sources: other registers' lists imported with their provenance

- list_source: a list imported (name, publisher, link, what an entry means, its date).
- sanction.source_id, source_ref, source_url, published_on: where a sanction was read from.
- list_match: entries whose agency the lookup was not sure of, for review.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
Moment = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "list_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", String(length=200), nullable=False),
        sa.Column("publisher", String(length=200), nullable=False),
        sa.Column("url", String(length=500), nullable=False),
        sa.Column("sanction_type", String(length=30), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("authority_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Moment(), nullable=False),
        sa.ForeignKeyConstraint(["authority_id"], ["authority.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("sanction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("source_ref", String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("source_url", String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("published_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_sanction_source_id"), ["source_id"])
        batch_op.create_foreign_key("fk_sanction_source_id", "list_source", ["source_id"], ["id"])
    op.create_table(
        "list_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("source_ref", String(length=200), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("entry", String(length=8000), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("state", String(length=20), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Moment(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["list_source.id"]),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("list_match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_match_source_id"), ["source_id"])


def downgrade() -> None:
    op.drop_table("list_match")
    with op.batch_alter_table("sanction", schema=None) as batch_op:
        batch_op.drop_constraint("fk_sanction_source_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_sanction_source_id"))
        batch_op.drop_column("published_on")
        batch_op.drop_column("source_url")
        batch_op.drop_column("source_ref")
        batch_op.drop_column("source_id")
    op.drop_table("list_source")
