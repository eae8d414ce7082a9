"""Short writes from inside a request (or job) that must stay whatever happens to it, in a transaction of their own.

Token refreshes, a connection turning `needs_reconnect`, the usage ledger: a request that ends in an error rolls back,
and these must not go with it. They run on the side sessionmaker, whose engine is a pool of its own that never makes
anyone wait (it opens more connections as needed): a request waiting for a refresh already holds one of the main
pool's connections, so with the pool exhausted by waiters the refresh could never get one.

One exception: when the caller's own transaction already holds the lock the side transaction would wait for (it
wrote the same row, e.g. while linking a connection, or on SQLite, which locks the whole database, it wrote
anything), a second transaction would wait for the caller, which waits for it. The write then joins the caller's
transaction, in a savepoint, and is committed with it. `mark_written` is how a caller says which rows it wrote.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fleetgate.infra.db.writes import Body, SessionWrites, Writer

T = TypeVar("T")

WRITTEN = "fleetgate.rows_written"


def mark_written(session: AsyncSession, key: str) -> None:
    """Records that `session`'s transaction wrote the row named `key` (so holds its lock until it ends)."""
    written: set[str] = session.info.setdefault(WRITTEN, set())
    written.add(key)


async def holds_lock(caller: AsyncSession | None, key: str) -> bool:
    """Whether a side transaction that locks `key` would wait for `caller`'s transaction."""
    if caller is None:
        return False
    transaction = caller.sync_session.get_transaction()
    if transaction is None or not transaction.connections:
        # No connection, no lock; and asking for its connection would take one from the pool (see `release`).
        return False
    if key in caller.info.get(WRITTEN, ()):
        return True
    connection = await caller.connection()
    if connection.dialect.name == "sqlite":
        # The driver starts SQLite's transaction at the first write; from then on it holds the database's write lock.
        raw = await connection.get_raw_connection()
        return bool(getattr(raw.driver_connection, "in_transaction", False))
    return False


@dataclass
class SideTransaction:
    session: AsyncSession
    own: bool  # false: a savepoint of the caller's transaction

    async def commit(self) -> None:
        """Commits an own transaction now (releasing its locks); in the caller's transaction, flushes."""
        if self.own:
            await self.session.commit()
        else:
            await self.session.flush()


@asynccontextmanager
async def side_transaction(
    sessions: async_sessionmaker[AsyncSession], caller: AsyncSession | None, key: str
) -> AsyncIterator[SideTransaction]:
    """Committed when the block ends (rolled back if it raises), in a transaction of its own unless `caller`'s
    holds the lock on `key`."""
    if caller is not None and await holds_lock(caller, key):
        async with caller.begin_nested():
            yield SideTransaction(caller, own=False)
        return
    async with sessions() as session:
        try:
            yield SideTransaction(session, own=True)
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


async def run_aside(writer: Writer, caller: AsyncSession | None, key: str, body: Body[T]) -> T:
    """`side_transaction` for prebuilt statements (`db.writes`): on the writer, or in a savepoint of `caller`'s
    transaction when it holds the lock on `key`."""
    if caller is not None and await holds_lock(caller, key):
        async with caller.begin_nested():
            return await body(SessionWrites(caller))
    return await writer.run(body)
