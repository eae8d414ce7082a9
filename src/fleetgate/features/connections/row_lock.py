"""A connection's row, locked against every other writer (in other processes too) for a short write from inside a
request: a token refresh, `needs_reconnect`, a region change. `SELECT … FOR UPDATE` on PostgreSQL; on SQLite, which
locks the whole database, an UPDATE of the row that takes its write lock first. The write is a side transaction
(see `infra.db.side_transactions`): committed whatever happens to the request, unless the request already holds
the lock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from fleetgate.infra.db.side_transactions import SideTransaction, side_transaction
from fleetgate.infra.models import Connection
from fleetgate.infra.runtime import Runtime

# How long a PostgreSQL refresh waits for another process's refresh of the same connection before giving up.
LOCK_TIMEOUT = "30s"
MIRRORED = (
    "status",
    "status_reason",
    "region",
    "granted_scopes",
    "access_token_enc",
    "refresh_token_enc",
    "access_expires_at",
    "token_version",
    "refreshed_at",
    "updated_at",
)


@dataclass
class LockedConnection:
    side: SideTransaction
    row: Connection | None

    @property
    def session(self) -> AsyncSession:
        return self.side.session

    async def commit(self) -> None:
        """Commits the own transaction now (releasing the lock); in the request's transaction, flushes."""
        await self.side.commit()


@asynccontextmanager
async def locked_connection(
    runtime: Runtime, connection_id: str, caller: AsyncSession | None = None
) -> AsyncIterator[LockedConnection]:
    """The connection's row, locked against every other writer until the block ends (or `commit()`)."""
    query = select(Connection).where(Connection.id == connection_id).with_for_update()
    async with side_transaction(runtime.side_sessionmaker, caller, connection_id) as side:
        if not side.own:
            query = query.execution_options(populate_existing=True)
        elif runtime.engine.dialect.name == "sqlite":
            # SQLite has no row locks; a write takes the database's write lock, held until commit.
            await side.session.execute(
                update(Connection)
                .where(Connection.id == connection_id)
                .values(token_version=Connection.token_version, updated_at=Connection.updated_at)
            )
        else:
            await side.session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        row = await side.session.scalar(query)
        yield LockedConnection(side, row)


def mirror(source: Connection, target: Connection | None) -> None:
    """Shows values committed elsewhere on the request's own object, without making it look changed."""
    if target is None or target is source:
        return
    for name in MIRRORED:
        value = getattr(source, name)
        set_committed_value(target, name, list(value) if isinstance(value, list) else value)
