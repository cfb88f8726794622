"""evidence files' bytes in the database

evidence_content holds the bytes of each evidence file (BLOB on SQLite, bytea on PostgreSQL), so
that every app server reads the same files. Files written to instance/evidence/ by earlier
versions are moved in by `init-db` (registry.reports.evidence.move_into_database), which knows
the instance folder; a migration does not.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_content",
        sa.Column("evidence_file_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["evidence_file_id"], ["evidence_file.id"]),
        sa.PrimaryKeyConstraint("evidence_file_id"),
    )


def downgrade() -> None:
    op.drop_table("evidence_content")
