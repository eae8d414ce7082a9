"""Wake-ups between processes on PostgreSQL: a transaction that queues a command tells the others (a NOTIFY on
`COMMANDS_CHANNEL`, delivered when it commits: `infra.db.notify`), so that an idle executor, in a worker or another
API process, looks for work now rather than at its next poll. Here, the listening side.

A wake-up carries nothing: the commands table is the only record and the only order. Losing one (the listening
connection dropped, a process restarting) costs at most one poll interval, never a command.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import psycopg

from fleetgate.infra.db.conninfo import conninfo
from fleetgate.infra.db.engine import is_sqlite
from fleetgate.infra.db.notify import COMMANDS_CHANNEL
from fleetgate.infra.runtime import Runtime

log = logging.getLogger("fleetgate.jobs")
# After the listening connection fails, the pause before connecting again (the executor polls meanwhile).
RECONNECT_SECONDS = 1.0


async def _listen(database_url: str, heard: Callable[[], None]) -> None:
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(conninfo(database_url), autocommit=True) as connection:
                await connection.execute(f"LISTEN {COMMANDS_CHANNEL}")
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
