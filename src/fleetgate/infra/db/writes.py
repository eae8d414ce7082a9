"""Short transactions of prebuilt statements, for what runs around every call to Tesla (the usage ledger's
reservation and answers, a command's mark that it was sent).

On PostgreSQL they run on psycopg's pool, the reader's (`reads`): through SQLAlchemy's session one such transaction
cost about three times the CPU (its pool and ping, the greenlet hops, the result objects). On SQLite they run in a
session of the side sessionmaker. Either way the statements are SQLAlchemy's, built once as module constants, and
errors come back as SQLAlchemy's `DBAPIError`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

import psycopg
from psycopg_pool import PoolTimeout
from sqlalchemy import Insert, Table, bindparam, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.expression import Executable

from fleetgate.infra.db.after_commit import Announcements, Topic, announce
from fleetgate.infra.db.compiled import Row, Statements, as_sqlalchemy
from fleetgate.infra.db.reads import PoolReader

T = TypeVar("T")
H = TypeVar("H", bound=Hashable)
log = logging.getLogger("fleetgate.db")


def insert_of(table: Table, columns: Iterable[str]) -> Insert:
    """An insert of these columns, each bound by its name: the same SQL whichever values a row brings."""
    return insert(table).values({name: bindparam(name, type_=table.c[name].type) for name in columns})


class Writes(Protocol):
    """The statements of one transaction."""

    @property
    def dialect_name(self) -> str: ...

    async def execute(self, statement: Executable, params: Mapping[str, Any]) -> int:
        """The number of rows the statement matched."""
        ...

    async def execute_many(self, statement: Executable, rows: Sequence[Mapping[str, Any]]) -> None: ...

    async def rows(self, statement: Executable, params: Mapping[str, Any]) -> list[Row]:
        """What a select, or a statement's RETURNING, gives back."""
        ...

    async def scalar(self, statement: Executable, params: Mapping[str, Any]) -> Any: ...

    def announce(self, topic: Topic[H], item: H) -> None:
        """Handed on once the transaction commits (`db.after_commit`)."""
        ...


Body = Callable[[Writes], Awaitable[T]]


class Writer(Protocol):
    async def run(self, body: Body[T]) -> T:
        """`body`'s statements in one transaction of their own, committed when it returns, rolled back if it raises.
        The body may run twice: once more when its connection turned out to be lost before the server had answered
        any of its statements (nothing was written then)."""
        ...


class SessionWrites:
    """In a SQLAlchemy session's transaction (or savepoint)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect_name(self) -> str:
        return self.session.get_bind().dialect.name

    async def execute(self, statement: Executable, params: Mapping[str, Any]) -> int:
        result = await self.session.execute(statement, params)
        return int(getattr(result, "rowcount", 0))

    async def execute_many(self, statement: Executable, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            await self.session.execute(statement, list(rows))

    async def rows(self, statement: Executable, params: Mapping[str, Any]) -> list[Row]:
        return list((await self.session.execute(statement, params)).all())

    async def scalar(self, statement: Executable, params: Mapping[str, Any]) -> Any:
        return await self.session.scalar(statement, params)

    def announce(self, topic: Topic[H], item: H) -> None:
        announce(self.session, topic, item)


class SessionWriter:
    """Transactions of the side sessionmaker's (SQLite's)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def run(self, body: Body[T]) -> T:
        async with self.sessions() as session, session.begin():
            return await body(SessionWrites(session))


class PoolWrites:
    """On a psycopg connection inside a transaction."""

    dialect_name = "postgresql"

    def __init__(
        self, connection: psycopg.AsyncConnection[Any], statements: Statements, announcements: Announcements
    ) -> None:
        self.connection = connection
        self.statements = statements
        self.announcements = announcements
        self.answered = 0  # statements the server has answered

    async def execute(self, statement: Executable, params: Mapping[str, Any]) -> int:
        return (await self._cursor(statement, params)).rowcount

    async def execute_many(self, statement: Executable, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        compiled = self.statements.compiled(statement)
        values = [compiled.parameters(row) for row in rows]
        try:
            async with self.connection.cursor() as cursor:
                await cursor.executemany(compiled.sql, values)
        except psycopg.Error as exc:
            raise as_sqlalchemy(compiled.sql, values[0], exc) from exc
        self.answered += 1

    async def rows(self, statement: Executable, params: Mapping[str, Any]) -> list[Row]:
        compiled = self.statements.compiled(statement)
        cursor = await self._cursor(statement, params)
        return [compiled.row(row) for row in await cursor.fetchall()]

    async def scalar(self, statement: Executable, params: Mapping[str, Any]) -> Any:
        found = await self.rows(statement, params)
        return found[0][0] if found else None

    def announce(self, topic: Topic[H], item: H) -> None:
        self.announcements.announce(topic, item)

    async def _cursor(self, statement: Executable, params: Mapping[str, Any]) -> psycopg.AsyncCursor[Any]:
        compiled = self.statements.compiled(statement)
        values = compiled.parameters(params)
        try:
            cursor = await self.connection.execute(compiled.sql, values)
        except psycopg.Error as exc:
            raise as_sqlalchemy(compiled.sql, values, exc) from exc
        self.answered += 1
        return cursor


class PoolWriter:
    """Transactions on the reader's pool (psycopg's), whose connections are in autocommit outside them. What they
    announce goes to the listeners of `listeners_of`'s sessions."""

    def __init__(self, reader: PoolReader, listeners_of: async_sessionmaker[AsyncSession]) -> None:
        self.pool = reader.pool
        self.statements = reader.statements
        self.listeners_of = listeners_of

    async def run(self, body: Body[T]) -> T:
        try:
            return await self._once(body)
        except _Stale:
            # No ping at checkout: a connection the server dropped fails at `BEGIN` or the first statement, and so,
            # likely, will its idle siblings; they are checked (only now) and the transaction is made again. A
            # connection lost later, the commit included, is not: what was written may have been committed.
            await self.pool.check()
            log.info("a pooled connection was lost before its transaction wrote anything; trying once more")
            try:
                return await self._once(body)
            except _Stale as again:
                raise again.error from again.error.orig

    async def _once(self, body: Body[T]) -> T:
        announcements = Announcements(self.listeners_of)
        writes: PoolWrites | None = None
        try:
            try:
                async with self.pool.connection() as connection, connection.transaction():
                    writes = PoolWrites(connection, self.statements, announcements)
                    done = await body(writes)
            except (PoolTimeout, psycopg.Error) as exc:
                # Checking a connection out, `BEGIN` or `COMMIT` (the statements' own errors come as SQLAlchemy's).
                raise as_sqlalchemy("COMMIT" if writes is not None else "BEGIN", None, exc) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated and (writes is None or writes.answered == 0):
                raise _Stale(exc) from exc
            raise
        announcements.hand_on()
        return done


class _Stale(Exception):
    """The transaction's connection was lost before the server answered any of its statements."""

    def __init__(self, error: DBAPIError) -> None:
        super().__init__(str(error))
        self.error = error
