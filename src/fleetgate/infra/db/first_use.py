"""The configured database as every process opens it (the API, the workers, the command line): a SQLite file gets
its folder, and its schema, on first use, as does any database in dev mode; PostgreSQL outside dev mode is migrated
by the operator, with `fleetgate migrate`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from fleetgate.infra.db.engine import create_engine, is_sqlite
from fleetgate.infra.db.migrate import upgrade

if TYPE_CHECKING:
    from fleetgate.config import Settings


def open_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    if is_sqlite(url):
        database = make_url(url).database
        if database not in (None, "", ":memory:"):
            # SQLite creates the file but not its folder.
            Path(str(database)).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, pool_size=pool_size, max_overflow=max_overflow)


async def migrate_on_first_use(engine: AsyncEngine, settings: Settings) -> None:
    if is_sqlite(settings.database_url) or settings.mode == "dev":
        await upgrade(engine)
