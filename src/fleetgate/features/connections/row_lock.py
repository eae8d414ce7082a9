"""Short writes to a connection's row from inside a request, in a transaction of their own.

Token refreshes, `needs_reconnect` and region changes must be committed whatever happens to the request that
noticed them (a request that ends in an error rolls back), and a refresh must hold the row against every other
writer, in other processes too: `SELECT … FOR UPDATE` on PostgreSQL; on SQLite, which locks the whole database,
an UPDATE of the row that takes its write lock first.

These transactions use an engine of their own without a pool: a request waiting for a refresh already holds one of
the main pool's connections, so with the pool exhausted by waiters the refresh could never get one.

One exception: when the request's own transaction already holds the lock (it wrote this row, e.g. while linking
the connection, or on SQLite it wrote anything at all), a second transaction would wait for the request, which
waits for it. Then the write joins the request's transaction instead, and is committed with it. For a refresh that
means the rotated refresh token is stored only if the request commits; if it rolls back, Tesla's 24-hour grace
lets the next refresh use the previous refresh token again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from fleetgate.infra.models import Connection
from fleetgate.infra.runtime import Runtime

WRITTEN = "fleetgate.connections_written"
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


def mark_written(session: AsyncSession, connection_id: str) -> None:
    """Records that `session`'s transaction wrote this connection's row (and so holds its lock until it ends)."""
    written: set[str] = session.info.setdefault(WRITTEN, set())
    written.add(connection_id)


def is_sqlite(runtime: Runtime) -> bool:
    return runtime.engine.dialect.name == "sqlite"


async def shares_request_lock(runtime: Runtime, caller: AsyncSession | None, connection_id: str) -> bool:
    if caller is None:
        return False
    if connection_id in caller.info.get(WRITTEN, ()):
        return True
    if is_sqlite(runtime):
        # The driver starts SQLite's transaction at the first write; from then on it holds the database's write lock.
        connection = await caller.connection()
        raw = await connection.get_raw_connection()
        return bool(getattr(raw.driver_connection, "in_transaction", False))
    return False


@dataclass
class LockedConnection:
    session: AsyncSession
    row: Connection | None
    own: bool

    async def commit(self) -> None:
        """Commits the own transaction now (releasing the lock); in the request's transaction, flushes."""
        if self.own:
            await self.session.commit()
        else:
            await self.session.flush()


@asynccontextmanager
async def locked_connection(
    runtime: Runtime, connection_id: str, caller: AsyncSession | None = None
) -> AsyncIterator[LockedConnection]:
    """The connection's row, locked against every other writer until the block ends (or `commit()`)."""
    query = select(Connection).where(Connection.id == connection_id).with_for_update()
    if caller is not None and await shares_request_lock(runtime, caller, connection_id):
        await caller.flush()
        row = await caller.scalar(query.execution_options(populate_existing=True))
        yield LockedConnection(caller, row, own=False)
        await caller.flush()
        return
    async with runtime.side_sessionmaker() as session:
        try:
            if is_sqlite(runtime):
                # SQLite has no row locks; a write takes the database's write lock, held until commit.
                await session.execute(
                    update(Connection)
                    .where(Connection.id == connection_id)
                    .values(token_version=Connection.token_version, updated_at=Connection.updated_at)
                )
            else:
                await session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
            row = await session.scalar(query)
            yield LockedConnection(session, row, own=True)
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def mirror(source: Connection, target: Connection | None) -> None:
    """Shows values committed elsewhere on the request's own object, without making it look changed."""
    if target is None or target is source:
        return
    for name in MIRRORED:
        value = getattr(source, name)
        set_committed_value(target, name, list(value) if isinstance(value, list) else value)
