"""Creating and upgrading the schema with Alembic (never `create_all`)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def recompute_name_keys(connection: Connection) -> None:
    """Store every agency's name key as the matching rules read it now (for the migrations that
    change those rules: re-imports recognise agencies by their stored key)."""
    from registry.search.matching import name_key

    agency = sa.table(
        "agency",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )
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
