"""recompute agency.name_key with the matching rules of issue 24

Initials are read as written ("S.A." is one word, a comma ends a run of initials: "Triple R,
S.A." is "triple r", no longer "triple rsa"; "R & R" and "R R" are both "rr"), and more legal
forms are known (Mexico's S.C.P., S.P.R. de R.I., A. en P., and the forms written out in
words). Stored keys are recomputed so that re-imports keep recognising agencies; the search
index is rebuilt by `init-db` (both backends' formats changed).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
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
        keys = {r.id: name_key(r.name)[:300] for r in rows}
        changed = [{"row_id": r.id, "key": keys[r.id]} for r in rows if keys[r.id] != r.name_key]
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
