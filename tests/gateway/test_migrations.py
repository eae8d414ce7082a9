"""The migrations and the ORM models describe one schema: a database migrated to head (the tests' template) has the
tables, columns, types, indexes and constraints the models declare, on SQLite and on PostgreSQL. A model changed
without a migration, or a migration without its model, fails here."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

import fleetgate.infra.models  # noqa: F401  (registers every table)
from fleetgate.infra.db.base import Base
from fleetgate.infra.db.engine import create_engine


def differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


class TestSchema:
    async def test_a_database_migrated_to_head_is_what_the_models_declare(self, database_url: str) -> None:
        engine = create_engine(database_url)
        try:
            async with engine.connect() as connection:
                found = await connection.run_sync(differences)
        finally:
            await engine.dispose()
        assert found == [], "the models and the migrations differ:\n" + "\n".join(map(repr, found))
