"""SQLAlchemy statements run on psycopg's own connections (`reads`, `writes`): compiled once for PostgreSQL, with
their types' bind and result processing, and psycopg's errors raised as SQLAlchemy's."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg_pool import PoolTimeout
from sqlalchemy import Select, UpdateBase
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import Executable
from sqlalchemy.sql.schema import ColumnDefault

Row = Sequence[Any]


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    compiled: SQLCompiler
    bind_processors: dict[str, Callable[[Any], Any]]
    result_processors: tuple[Callable[[Any], Any] | None, ...]
    # Columns whose value Python computes when a row is inserted or updated without it (`onupdate=utcnow`, say).
    defaults: dict[str, ColumnDefault]

    def parameters(self, params: Mapping[str, Any]) -> dict[str, Any]:
        # Every bind the statement has (its own literals too), under the names its SQL uses, as the types store them.
        values = dict(self.compiled.construct_params(dict(params)))
        for name, default in self.defaults.items():
            if name not in params:
                values[name] = default.arg(None) if default.is_callable else default.arg
        for name, process in self.bind_processors.items():
            values[name] = process(values[name])
        return values

    def row(self, raw: Row) -> Row:
        processors = self.result_processors
        return tuple(
            value if process is None else process(value) for value, process in zip(raw, processors, strict=True)
        )


class Statements:
    """The compiled form of each statement, made at its first use. Statements are module constants, built once."""

    def __init__(self) -> None:
        self.dialect: Dialect = PGDialect_psycopg()  # type: ignore[no-untyped-call]
        self._known: dict[int, tuple[Executable, Compiled]] = {}

    def compiled(self, statement: Executable) -> Compiled:
        known = self._known.get(id(statement))
        if known is not None and known[0] is statement:
            return known[1]
        compiled = statement.compile(dialect=self.dialect)  # type: ignore[attr-defined]
        assert isinstance(compiled, SQLCompiler)
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise TypeError("only statements whose SQL does not depend on their parameters run on psycopg's pool")
        binds: dict[str, Callable[[Any], Any]] = {}
        for bind, name in compiled.bind_names.items():
            process = bind.type.dialect_impl(self.dialect).bind_processor(self.dialect)
            if process is not None:
                binds[name] = process
        columns = (
            statement.selected_columns
            if isinstance(statement, Select)
            else statement.exported_columns  # RETURNING's
            if isinstance(statement, UpdateBase)
            else ()
        )
        defaults = {
            column.key: default
            for column, default in [(column, column.default) for column in compiled.insert_prefetch]
            + [(column, column.onupdate) for column in compiled.update_prefetch]
            if isinstance(default, ColumnDefault)
        }
        dialect = self.dialect
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
        made = Compiled(str(compiled), compiled, binds, results, defaults)
        # Keyed by identity and holding the statement, so that an id is never reused for another.
        self._known[id(statement)] = (statement, made)
        return made


def lost_connection(exc: psycopg.Error) -> bool:
    # A pool that had no connection to give in time lost none.
    return (
        isinstance(exc, psycopg.OperationalError)
        and not isinstance(exc, PoolTimeout)
        and (exc.sqlstate is None or exc.sqlstate.startswith("08") or exc.sqlstate in ("57P01", "57P02", "57P03"))
    )


def as_sqlalchemy(sql: str, values: Mapping[str, Any] | None, exc: psycopg.Error) -> DBAPIError:
    """The error as SQLAlchemy would have raised it, so that callers (and the API's 503) treat both paths alike."""
    error = DBAPIError.instance(sql, values, exc, psycopg.Error, connection_invalidated=lost_connection(exc))
    assert isinstance(error, DBAPIError)  # as `exc` is a driver's error
    return error
