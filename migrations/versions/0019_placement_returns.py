"""placement returns: the workers a licensed agency placed each year, by destination and sex

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "placement_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("destination", String(length=2), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("men", sa.Integer(), nullable=False),
        sa.Column("unspecified", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["licence_id"], ["licence.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("licence_id", "year", "destination"),
    )
    with op.batch_alter_table("placement_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_return_licence_id"), ["licence_id"])


def downgrade() -> None:
    op.drop_table("placement_return")
