"""Alembic environment: runs migrations over the async engine of `fleetgate.config.Settings().database_url`."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import fleetgate.infra.models  # noqa: F401  (registers every table)
from fleetgate.infra.db.base import Base
from fleetgate.infra.db.engine import create_engine, is_sqlite

config = context.config


def run_with(connection: Connection) -> None:
    url = str(connection.engine.url)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=is_sqlite(url),  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_with)
            await connection.commit()
    finally:
        await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    asyncio.run(run_async())
