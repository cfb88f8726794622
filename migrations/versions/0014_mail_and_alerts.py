"""mail and alerts: the mail outbox, staff inboxes, public watches of an agency

- mail_outbox: messages waiting to be sent (requests add them in their own transaction).
- notice: a line in a staff member's inbox.
- watch: an e-mail address told when an agency's standing changes (double opt-in).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
Moment = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", String(length=254), nullable=False),
        sa.Column("subject", String(length=300), nullable=False),
        sa.Column("body", String(length=20000), nullable=False),
        sa.Column("headers", String(length=2000), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Moment(), nullable=False),
        sa.Column("lease_until", Moment(), nullable=True),
        sa.Column("failed_at", Moment(), nullable=True),
        sa.Column("last_error", String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_outbox_next_attempt_at"), ["next_attempt_at"])
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=30), nullable=False),
        sa.Column("message", String(length=500), nullable=False),
        sa.Column("params", String(length=2000), nullable=False),
        sa.Column("link", String(length=300), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("read_at", Moment(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_user_id"), ["user_id"])
        batch_op.create_index(batch_op.f("ix_notice_created_at"), ["created_at"])
    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("email", String(length=254), nullable=False),
        sa.Column("lang", String(length=8), nullable=False),
        sa.Column("token_hash", String(length=64), nullable=False),
        sa.Column("confirmed_at", Moment(), nullable=True),
        sa.Column("last_code", String(length=30), nullable=False),
        sa.Column("checked_at", Moment(), nullable=True),
        sa.Column("created_at", Moment(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id", "email"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("watch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_agency_id"), ["agency_id"])


def downgrade() -> None:
    op.drop_table("watch")
    op.drop_table("notice")
    op.drop_table("mail_outbox")
