"""Commands' work on the configured database, its failures turned into one-line errors (here, and only here)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from fleetgate.cli.errors import CliError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

    from fleetgate.config import Settings

T = TypeVar("T")


def shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def on_database(url: str, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Runs `work` on an engine for `url`, turning database failures into one-line errors."""
    from alembic.util import CommandError
    from sqlalchemy.exc import ArgumentError, DBAPIError, InvalidRequestError, OperationalError, ProgrammingError

    from fleetgate.infra.db.first_use import open_engine

    shown = shown_url(url)

    async def run() -> T:
        engine = open_engine(url)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except (ArgumentError, InvalidRequestError, ImportError) as exc:
        raise CliError(
            f"FLEETGATE_DATABASE_URL {shown} is not usable ({exc}); use sqlite+aiosqlite:///path/to/file.db "
            "or postgresql+psycopg://user:password@host/database"
        ) from exc
    except ProgrammingError as exc:
        raise CliError(
            f"{shown}: {first_line(exc.orig)}; has the schema been created? Run `fleetgate migrate` first"
        ) from exc
    except OperationalError as exc:
        raise CliError(f"cannot use the database {shown}: {first_line(exc.orig)}") from exc
    except DBAPIError as exc:
        raise CliError(f"database error on {shown}: {first_line(exc.orig)}") from exc
    except CommandError as exc:
        raise CliError(f"migrating {shown} failed: {exc}") from exc


def first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else repr(error)


def in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One committed transaction on the configured database, which gets its schema on first use as the API's would
    (PostgreSQL outside dev mode is migrated with `fleetgate migrate`)."""
    from fleetgate.infra.db.engine import create_sessionmaker
    from fleetgate.infra.db.first_use import migrate_on_first_use

    async def run(engine: AsyncEngine) -> T:
        await migrate_on_first_use(engine, settings)
        async with create_sessionmaker(engine)() as session, session.begin():
            return await work(session)

    return on_database(settings.database_url, run)
