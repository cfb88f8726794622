"""workflows: authorities with a code, contacts and languages; merged agencies; sanctions that
are lifted and appealed, step by step; regulators' public texts in several languages

- authority: code (unique when given), email, phone, languages.
- agency.merged_into_id: a duplicate merged into its survivor (its pages redirect there).
- sanction: lifted_on, lift_reason, lang; sanction_event: lifted / appeal lodged, upheld,
  overturned, each dated and, for a revocation or a ban, confirmed by a second regulator.
- finding.lang, red_flag.lang and public_text: a public text's language and its translations.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("email", String(length=254), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("phone", String(length=60), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("languages", String(length=100), nullable=False, server_default="")
        )
        batch_op.create_unique_constraint("uq_authority_code", ["code"])
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_agency_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_agency_merged_into_id", "agency", ["merged_into_id"], ["id"]
        )
    with op.batch_alter_table("sanction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lifted_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("lift_reason", String(length=2000), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("lang", String(length=8), nullable=False, server_default=""))
    for table in ("finding", "red_flag"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("lang", String(length=8), nullable=False, server_default="")
            )
    op.create_table(
        "sanction_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sanction_id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=30), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("reason", String(length=2000), nullable=False),
        sa.Column("status", String(length=30), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sanction_id"], ["sanction.id"]),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sanction_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sanction_event_sanction_id"), ["sanction_id"], unique=False
        )
    op.create_table(
        "public_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("lang", String(length=8), nullable=False),
        sa.Column("text", String(length=4000), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity", "entity_id", "lang"),
    )
    with op.batch_alter_table("public_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_text_entity_id"), ["entity_id"], unique=False)


def downgrade() -> None:
    op.drop_table("public_text")
    op.drop_table("sanction_event")
    for table in ("finding", "red_flag"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("lang")
    with op.batch_alter_table("sanction", schema=None) as batch_op:
        batch_op.drop_column("lang")
        batch_op.drop_column("lift_reason")
        batch_op.drop_column("lifted_on")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_constraint("fk_agency_merged_into_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_agency_merged_into_id"))
        batch_op.drop_column("merged_into_id")
    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.drop_constraint("uq_authority_code", type_="unique")
        batch_op.drop_column("languages")
        batch_op.drop_column("phone")
        batch_op.drop_column("email")
        batch_op.drop_column("code")
