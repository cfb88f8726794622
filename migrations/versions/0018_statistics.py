"""statistics: lookup tallies, searched names, the statistics snapshot, red_flag.decided_at

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
When = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "lookup_tally",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("country", String(length=2), nullable=False),
        sa.Column("outcome", String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "country", "outcome"),
    )
    op.create_table(
        "searched_name",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name_key", String(length=200), nullable=False),
        sa.Column("country", String(length=2), nullable=False),
        sa.Column("outcome", String(length=20), nullable=False),
        sa.Column("shown", String(length=200), nullable=False),
        sa.Column("nearest_id", sa.Integer(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "name_key", "country", "outcome"),
    )
    op.create_table(
        "statistics_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("computed_at", When(), nullable=False),
        sa.Column("data", String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("red_flag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_at", When(), nullable=True))
    # red flags decided before this revision: their last change is when they were decided
    op.execute(
        "UPDATE red_flag SET decided_at = updated_at"
        " WHERE state IN ('substantiated', 'unsubstantiated', 'referred')"
    )


def downgrade() -> None:
    with op.batch_alter_table("red_flag", schema=None) as batch_op:
        batch_op.drop_column("decided_at")
    op.drop_table("statistics_snapshot")
    op.drop_table("searched_name")
    op.drop_table("lookup_tally")
