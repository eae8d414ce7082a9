"""Single-statement reads outside any transaction: the cheapest way to the database, for what every request or pass
reads (its API key, the device a cached state read answers from, the commands due).

On PostgreSQL the reader is psycopg's own pool, in autocommit (each statement sees what was committed before it, as
in a transaction at the default isolation level), without a ping at checkout, and the statements, built with
SQLAlchemy, are compiled once: through SQLAlchemy's async engine a one-statement read cost about four times the
CPU (its pool, the greenlet hops, the result objects). On SQLite, whose driver starts no transaction for a read
anyway, the reader is the main engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncEngine

from fleetgate.infra.db.compiled import Compiled, Row, Statements, as_sqlalchemy, lost_connection
from fleetgate.infra.db.conninfo import conninfo

AnySelect = Select[*tuple[Any, ...]]


class Reader(Protocol):
    async def first(self, statement: AnySelect, params: Mapping[str, Any]) -> Row | None: ...

    async def scalars(self, statement: AnySelect, params: Mapping[str, Any]) -> list[Any]: ...

    async def close(self) -> None: ...


class EngineReader:
    """Reads through a SQLAlchemy engine (SQLite's)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def first(self, statement: AnySelect, params: Mapping[str, Any]) -> Row | None:
        async with self.engine.connect() as connection:
            row: Row | None = (await connection.execute(statement, params)).first()
            return row

    async def scalars(self, statement: AnySelect, params: Mapping[str, Any]) -> list[Any]:
        async with self.engine.connect() as connection:
            return list((await connection.scalars(statement, params)).all())

    async def close(self) -> None:
        """The engine is the runtime's, which disposes of it."""


class PoolReader:
    """Reads through psycopg's pool (`engine.open_reader`)."""

    def __init__(self, url: str, *, min_size: int, max_size: int) -> None:
        self.pool = AsyncConnectionPool(
            conninfo(url), min_size=min_size, max_size=max_size, kwargs={"autocommit": True}, open=False, name="reader"
        )
        self.statements = Statements()

    async def open(self) -> None:
        # Connections are made in the background: a database that is down now answers the first reads with 503s.
        await self.pool.open(wait=False)

    async def first(self, statement: AnySelect, params: Mapping[str, Any]) -> Row | None:
        compiled = self._compiled(statement)
        rows = await self._run(compiled, params, many=False)
        return compiled.row(rows[0]) if rows else None

    async def scalars(self, statement: AnySelect, params: Mapping[str, Any]) -> list[Any]:
        compiled = self._compiled(statement)
        return [compiled.row(row)[0] for row in await self._run(compiled, params, many=True)]

    async def close(self) -> None:
        await self.pool.close()

    async def _run(self, compiled: Compiled, params: Mapping[str, Any], *, many: bool) -> list[Row]:
        values = compiled.parameters(params)
        try:
            return await self._execute(compiled.sql, values, many=many)
        except PoolTimeout as exc:
            raise as_sqlalchemy(compiled.sql, values, exc) from exc
        except psycopg.OperationalError as exc:
            # No ping at checkout: a connection the server dropped fails here, and the pool lets it go on its return.
            # Its idle siblings were likely dropped with it: they are checked (only now) before the read is made
            # again.
            if not lost_connection(exc):
                raise as_sqlalchemy(compiled.sql, values, exc) from exc
            await self.pool.check()
        except psycopg.Error as exc:
            raise as_sqlalchemy(compiled.sql, values, exc) from exc
        try:
            return await self._execute(compiled.sql, values, many=many)
        except psycopg.Error as exc:
            raise as_sqlalchemy(compiled.sql, values, exc) from exc

    async def _execute(self, sql: str, values: dict[str, Any], *, many: bool) -> list[Row]:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(sql, values)
            return list(await cursor.fetchall()) if many else [row] if (row := await cursor.fetchone()) else []

    def _compiled(self, statement: AnySelect) -> Compiled:
        return self.statements.compiled(statement)
