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

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The rules live in the application: this revision applies them as they are when it runs.
    from registry.schema import recompute_name_keys

    recompute_name_keys(op.get_bind())


def downgrade() -> None:
    pass  # the older keys are not kept; they differ only for names the new rules read better
