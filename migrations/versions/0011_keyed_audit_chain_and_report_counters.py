"""a keyed audit chain; anonymous report limits that no address can be recovered from

- audit_head.scheme: 1 for a chain written before (plain SHA-256: anyone with the database could
  rewrite it and recompute every hash), 2 for HMAC-SHA-256 with a key kept outside the database.
  An empty chain starts keyed; `init-db` verifies an older chain and rekeys it
  (registry.audit.chain.rekey).
- daily_key and report_counter replace the login_attempt rows that counted anonymous reports
  (sha256(secret|day|address), one row per report, written as the report was: with the
  database and the secret key, a report's address could be found by trying addresses). Those
  rows are deleted.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "daily_key",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "report_counter",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("report_counter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_counter_day"), ["day"], unique=False)
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheme", sa.Integer(), nullable=False, server_default="1"))
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT count(*) FROM audit_entry")).scalar() == 0:
        connection.execute(sa.text("UPDATE audit_head SET scheme = 2"))
    connection.execute(sa.text("DELETE FROM login_attempt WHERE key LIKE 'report:%'"))


def downgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("scheme")
    with op.batch_alter_table("report_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_counter_day"))
    op.drop_table("report_counter")
    op.drop_table("daily_key")
