"""proof of check: a dated, verifiable proof of what the registry answered about an agency

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "proof_of_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", String(length=16), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("verdict", String(length=30), nullable=False),
        sa.Column("lang", String(length=8), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("snapshot", String(length=20000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("proof_of_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proof_of_check_agency_id"), ["agency_id"])


def downgrade() -> None:
    op.drop_table("proof_of_check")
