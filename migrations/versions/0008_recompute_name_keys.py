"""recompute agency.name_key with the matching rules of issue 4

The normalised name changed (other scripts transliterated, spaced single letters joined, more
legal forms): stored keys are recomputed so that re-imports keep recognising agencies. The
search index is rebuilt separately (`init-db` rebuilds an index of an older format).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

agency = sa.table(
    "agency",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
)


def upgrade() -> None:
    # The rules live in the application; this revision applies those of its time.
    from registry.search.matching import name_key

    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(agency.c.id, agency.c.name, agency.c.name_key)
            .where(agency.c.id > last_id)
            .order_by(agency.c.id)
            .limit(1000)
        ).all()
        if not rows:
            return
        changed = [
            {"row_id": r.id, "key": name_key(r.name)[:300]}
            for r in rows
            if name_key(r.name)[:300] != r.name_key
        ]
        if changed:
            connection.execute(
                agency.update()
                .where(agency.c.id == sa.bindparam("row_id"))
                .values(name_key=sa.bindparam("key")),
                changed,
            )
        last_id = rows[-1].id


def downgrade() -> None:
    pass  # the older keys are not kept; they differ only for names the new rules read better
