"""Engines for SQLite (the default, one file) and PostgreSQL (production), built in the app's lifespan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from fleetgate.infra.db.reads import EngineReader, PoolReader, Reader
from fleetgate.infra.db.writes import PoolWriter, SessionWriter, Writer


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    if is_sqlite(url):
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)


def create_side_engine(url: str, *, keep: int) -> AsyncEngine:
    """A pool of its own that never makes anyone wait: requests waiting on a token refresh hold the main pool's
    connections, so the refresh must not need one of them. `keep` connections are kept for reuse once opened, any
    more are opened on demand and closed after. Every command's ledger writes go through it, so it keeps as many as
    the main pool: opening a connection (a round trip and authentication on PostgreSQL, a thread and a file open on
    SQLite) costs more than a command's other statements."""
    engine = create_async_engine(
        url, pool_size=keep, max_overflow=-1, connect_args={"timeout": 30} if is_sqlite(url) else {}
    )
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


async def open_reader(url: str, engine: AsyncEngine, *, pool_size: int) -> Reader:
    """For single-statement reads outside any transaction (`db.reads`) and, on PostgreSQL, the short transactions
    around each call to Tesla (`db.writes`). On PostgreSQL a pool of its own, half the main one's size kept open when
    idle, up to twice it under load; on SQLite the main engine."""
    if is_sqlite(url):
        return EngineReader(engine)
    reader = PoolReader(url, min_size=max(1, pool_size // 2), max_size=2 * pool_size)
    await reader.open()
    return reader


def writer_for(
    reader: Reader, sessions: async_sessionmaker[AsyncSession], side_sessions: async_sessionmaker[AsyncSession]
) -> Writer:
    """On PostgreSQL the reader's pool, announcing to the listeners of `sessions`; on SQLite the side sessionmaker."""
    return PoolWriter(reader, sessions) if isinstance(reader, PoolReader) else SessionWriter(side_sessions)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run while one writer writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
