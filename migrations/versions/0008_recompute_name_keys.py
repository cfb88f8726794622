"""recompute agency.name_key with the matching rules of issue 4

The normalised name changed (other scripts transliterated, spaced single letters joined, more
legal forms): stored keys are recomputed so that re-imports keep recognising agencies. The
search index is rebuilt separately (`init-db` rebuilds an index of an older format).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 20:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The rules live in the application: this revision applies them as they are when it runs.
    from registry.schema import recompute_name_keys

    recompute_name_keys(op.get_bind())


def downgrade() -> None:
    pass  # the older keys are not kept; they differ only for names the new rules read better
