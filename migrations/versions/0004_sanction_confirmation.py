"""sanction confirmation

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 18:48:49.720339
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sanction", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sqlmodel.sql.sqltypes.AutoString(length=30),
                nullable=False,
                server_default="in_force",
            )
        )
        batch_op.add_column(sa.Column("proposed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("licence_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_sanction_status"), ["status"], unique=False)
        batch_op.create_foreign_key("fk_sanction_licence", "licence", ["licence_id"], ["id"])
        batch_op.create_foreign_key(
            "fk_sanction_confirmed_by", "user_account", ["confirmed_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_sanction_proposed_by", "user_account", ["proposed_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sanction", schema=None) as batch_op:
        batch_op.drop_constraint("fk_sanction_proposed_by", type_="foreignkey")
        batch_op.drop_constraint("fk_sanction_confirmed_by", type_="foreignkey")
        batch_op.drop_constraint("fk_sanction_licence", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_sanction_status"))
        batch_op.drop_column("licence_id")
        batch_op.drop_column("confirmed_by_id")
        batch_op.drop_column("proposed_by_id")
        batch_op.drop_column("status")
