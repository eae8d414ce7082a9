"""Engines for SQLite (the default, one file) and PostgreSQL (production), built in the app's lifespan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    if is_sqlite(url):
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)


def create_side_engine(url: str) -> AsyncEngine:
    """A pool of its own that never makes anyone wait: requests waiting on a token refresh hold the main pool's
    connections, so the refresh must not need one of them; a few connections are kept for reuse (opening one is a
    thread and a file open on SQLite, a round trip and authentication on PostgreSQL), any more are opened on demand."""
    engine = create_async_engine(
        url, pool_size=4, max_overflow=-1, connect_args={"timeout": 30} if is_sqlite(url) else {}
    )
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def create_reader(url: str, engine: AsyncEngine, *, pool_size: int) -> AsyncEngine:
    """For single-statement reads outside any transaction (`db.reads`). On PostgreSQL a pool of its own, in
    autocommit (no BEGIN and COMMIT round trips; each statement sees what was committed before it, as in a
    transaction at the default isolation level) and without a ping at checkout: a read on a dropped connection is
    simply read again. Half the main pool's size, kept, and as many more under load. On SQLite, whose driver starts
    no transaction for a read anyway, the main engine."""
    if is_sqlite(url):
        return engine
    kept = max(1, pool_size // 2)
    return create_async_engine(url, pool_size=kept, max_overflow=kept, isolation_level="AUTOCOMMIT")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run while one writer writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
