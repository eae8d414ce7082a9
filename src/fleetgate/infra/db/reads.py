"""Single-statement reads on the reader (`engine.create_reader`), outside the request's transaction: the cheapest
way to the database, for what every request reads (its API key, the device a cached state read answers from)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine


async def first_row(reader: AsyncEngine, statement: Executable, params: Mapping[str, Any]) -> Sequence[Any] | None:
    try:
        return await _first(reader, statement, params)
    except DBAPIError as exc:
        # The reader does not ping a connection before using it: one the server dropped fails here, and the pool
        # has let it go. A read can simply be made again.
        if not exc.connection_invalidated:
            raise
        return await _first(reader, statement, params)


async def _first(reader: AsyncEngine, statement: Executable, params: Mapping[str, Any]) -> Sequence[Any] | None:
    async with reader.connect() as connection:
        return (await connection.execute(statement, params)).first()
