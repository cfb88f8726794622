"""region: authorities of several kinds across borders, agencies' corridors, each sanction's
country

- authority.kind: licensing (the default: what every authority was), inspectorate, consulate;
  authority.station: where a consulate or labour attaché sits.
- agency_corridor: the countries an agency recruits in (origin) and places workers in
  (destination).
- sanction.country: the country where it was imposed, filled from its authority (else the
  agency's country) for the sanctions already recorded.
- referral: a red flag passed to an authority of another country, and its answer.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", String(length=20), nullable=False, server_default="licensing")
        )
        batch_op.add_column(
            sa.Column("station", String(length=2), nullable=False, server_default="")
        )
    with op.batch_alter_table("sanction", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("country", String(length=2), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE sanction SET country = COALESCE("
        "(SELECT authority.country FROM authority WHERE authority.id = sanction.authority_id), "
        "(SELECT agency.country FROM agency WHERE agency.id = sanction.agency_id), '')"
    )
    op.create_table(
        "agency_corridor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("country", String(length=2), nullable=False),
        sa.Column("direction", String(length=12), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id", "country", "direction"),
    )
    with op.batch_alter_table("agency_corridor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_corridor_agency_id"), ["agency_id"])
        batch_op.create_index(batch_op.f("ix_agency_corridor_country"), ["country"])
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("red_flag_id", sa.Integer(), nullable=False),
        sa.Column("from_authority_id", sa.Integer(), nullable=False),
        sa.Column("to_authority_id", sa.Integer(), nullable=False),
        sa.Column("note", String(length=2000), nullable=False),
        sa.Column("state", String(length=20), nullable=False),
        sa.Column("answer", String(length=2000), nullable=False),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["red_flag_id"], ["red_flag.id"]),
        sa.ForeignKeyConstraint(["from_authority_id"], ["authority.id"]),
        sa.ForeignKeyConstraint(["to_authority_id"], ["authority.id"]),
        sa.ForeignKeyConstraint(["referred_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_red_flag_id"), ["red_flag_id"])
        batch_op.create_index(batch_op.f("ix_referral_from_authority_id"), ["from_authority_id"])
        batch_op.create_index(batch_op.f("ix_referral_to_authority_id"), ["to_authority_id"])


def downgrade() -> None:
    op.drop_table("referral")
    with op.batch_alter_table("agency_corridor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_corridor_country"))
        batch_op.drop_index(batch_op.f("ix_agency_corridor_agency_id"))
    op.drop_table("agency_corridor")
    with op.batch_alter_table("sanction", schema=None) as batch_op:
        batch_op.drop_column("country")
    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.drop_column("station")
        batch_op.drop_column("kind")
