"""Wake-ups between processes on PostgreSQL: a process that commits a command tells the others at once (NOTIFY),
so that an idle executor, in a worker or another API process, looks for work now rather than at its next poll.

A wake-up carries nothing: the commands table is the only record and the only order. Losing one (the listening
connection dropped, a process restarting) costs at most one poll interval, never a command.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from fleetgate.infra.db.engine import is_sqlite
from fleetgate.infra.runtime import Runtime

log = logging.getLogger("fleetgate.jobs")
CHANNEL = "fleetgate_commands"
# After the listening connection fails, the pause before connecting again (the executor polls meanwhile).
RECONNECT_SECONDS = 1.0


def conninfo(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def send_wakeup(runtime: Runtime) -> None:
    if is_sqlite(runtime.settings.database_url):
        return
    try:
        async with runtime.side_sessionmaker() as session, session.begin():
            await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
    except Exception:
        log.warning("could not wake the other processes; they find the command at their next poll", exc_info=True)


async def _listen(database_url: str, heard: Callable[[], None]) -> None:
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(conninfo(database_url), autocommit=True) as connection:
                await connection.execute(f"LISTEN {CHANNEL}")
                # Anything committed while the connection was down is found by the pass this triggers.
                heard()
                async for _ in connection.notifies():
                    heard()
        except psycopg.Error:
            log.warning("the wake-up connection failed; connecting again", exc_info=True)
        await asyncio.sleep(RECONNECT_SECONDS)


@asynccontextmanager
async def listening_for_wakeups(runtime: Runtime, heard: Callable[[], None]) -> AsyncIterator[None]:
    """`heard` is called on each wake-up, for the duration of the block; nothing happens on SQLite (one process)."""
    if is_sqlite(runtime.settings.database_url):
        yield
        return
    task = asyncio.create_task(_listen(runtime.settings.database_url, heard), name="fleetgate wake-ups")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.wait([task])
