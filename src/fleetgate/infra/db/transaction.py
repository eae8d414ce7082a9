"""A request's one transaction: committed when its handler returns, rolled back when it raises.

`SessionDep` opens it for every route that takes it; a route that most often needs no database write (a cached
state read) opens it itself, only when it does, and spares the rest of its calls the session's cost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@asynccontextmanager
async def request_transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        try:
            yield session
            if session.in_transaction():  # a request that read nothing through it has nothing to end
                await session.commit()
        except BaseException:
            await session.rollback()
            raise
