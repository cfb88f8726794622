"""The migrations make exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from registry.search import postgres_index


def test_the_migrated_schema_is_the_models_schema(app):
    """A model changed without a migration (or a migration that differs from its model) shows
    here as a difference. The PostgreSQL search tables are described by
    registry.search.postgres_index, with indexes only its migration makes."""
    search_tables = set(postgres_index.metadata.tables)

    def compared(obj, name, type_, _reflected, _compare_to) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name not in search_tables and name != "alembic_version"

    with app.extensions["registry.engine"].connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": compared}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
