"""Single-statement reads outside any transaction: the cheapest way to the database, for what every request or pass
reads (its API key, the device a cached state read answers from, the commands due).

On PostgreSQL the reader is psycopg's own pool, in autocommit (each statement sees what was committed before it, as
in a transaction at the default isolation level), without a ping at checkout, and the statements, built with
SQLAlchemy, are compiled once: through SQLAlchemy's async engine a one-statement read cost about four times the
CPU (its pool, the greenlet hops, the result objects). On SQLite, whose driver starts no transaction for a read
anyway, the reader is the main engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import Select
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.compiler import SQLCompiler

from fleetgate.infra.db.conninfo import conninfo

Row = Sequence[Any]
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


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    compiled: SQLCompiler
    bind_processors: dict[str, Callable[[Any], Any]]
    result_processors: tuple[Callable[[Any], Any] | None, ...]

    def parameters(self, params: Mapping[str, Any]) -> dict[str, Any]:
        # Every bind the statement has (its own literals too), under the names its SQL uses, as the types store them.
        values = dict(self.compiled.construct_params(dict(params)))
        for name, process in self.bind_processors.items():
            values[name] = process(values[name])
        return values

    def row(self, raw: Row) -> Row:
        processors = self.result_processors
        return tuple(
            value if process is None else process(value) for value, process in zip(raw, processors, strict=True)
        )


class PoolReader:
    """Reads through psycopg's pool (`engine.open_reader`)."""

    def __init__(self, url: str, *, min_size: int, max_size: int) -> None:
        self.pool = AsyncConnectionPool(
            conninfo(url), min_size=min_size, max_size=max_size, kwargs={"autocommit": True}, open=False, name="reader"
        )
        self.dialect: Dialect = PGDialect_psycopg()  # type: ignore[no-untyped-call]
        self._statements: dict[int, tuple[AnySelect, _Compiled]] = {}

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

    async def _run(self, compiled: _Compiled, params: Mapping[str, Any], *, many: bool) -> list[Row]:
        values = compiled.parameters(params)
        try:
            return await self._execute(compiled.sql, values, many=many)
        except PoolTimeout as exc:
            raise _as_sqlalchemy(compiled.sql, values, exc) from exc
        except psycopg.OperationalError as exc:
            # No ping at checkout: a connection the server dropped fails here, and the pool lets it go on its return.
            # Its idle siblings were likely dropped with it: they are checked (only now) before the read is made
            # again.
            if not _lost_connection(exc):
                raise _as_sqlalchemy(compiled.sql, values, exc) from exc
            await self.pool.check()
        except psycopg.Error as exc:
            raise _as_sqlalchemy(compiled.sql, values, exc) from exc
        try:
            return await self._execute(compiled.sql, values, many=many)
        except psycopg.Error as exc:
            raise _as_sqlalchemy(compiled.sql, values, exc) from exc

    async def _execute(self, sql: str, values: dict[str, Any], *, many: bool) -> list[Row]:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(sql, values)
            return list(await cursor.fetchall()) if many else [row] if (row := await cursor.fetchone()) else []

    def _compiled(self, statement: AnySelect) -> _Compiled:
        known = self._statements.get(id(statement))
        if known is not None and known[0] is statement:
            return known[1]
        compiled = statement.compile(dialect=self.dialect)
        assert isinstance(compiled, SQLCompiler)
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise TypeError("the reader takes statements whose SQL does not depend on their parameters")
        binds: dict[str, Callable[[Any], Any]] = {}
        for bind, name in compiled.bind_names.items():
            process = bind.type.dialect_impl(self.dialect).bind_processor(self.dialect)
            if process is not None:
                binds[name] = process
        results = tuple(
            column.type.dialect_impl(self.dialect).result_processor(self.dialect, None)
            for column in statement.selected_columns
        )
        made = _Compiled(str(compiled), compiled, binds, results)
        # Keyed by identity and holding the statement, so that an id is never reused for another: statements here
        # are module constants, built once.
        self._statements[id(statement)] = (statement, made)
        return made


def _lost_connection(exc: psycopg.OperationalError) -> bool:
    return exc.sqlstate is None or exc.sqlstate.startswith("08") or exc.sqlstate in ("57P01", "57P02", "57P03")


def _as_sqlalchemy(sql: str, values: dict[str, Any], exc: psycopg.Error) -> DBAPIError:
    """The error as SQLAlchemy would have raised it, so that callers (and the API's 503) treat both readers alike."""
    lost = isinstance(exc, psycopg.OperationalError) and _lost_connection(exc)
    error = DBAPIError.instance(sql, values, exc, psycopg.Error, connection_invalidated=lost)
    assert isinstance(error, DBAPIError)  # as `exc` is a driver's error
    return error
