"""procrastinate, the job engine of `fleetgate worker` processes: its app over the gateway's PostgreSQL database,
its schema, and deferring a command's job.

Jobs only carry work: the commands table stays the source of truth. A command's job has the device as its `lock`,
so one device's jobs run one at a time across every worker, and the command as its `queueing_lock`, so it waits
in the queue at most once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import procrastinate
from procrastinate import exceptions as procrastinate_errors
from procrastinate.schema import SchemaManager
from sqlalchemy.engine import make_url

from fleetgate.jobs.tasks import RUN_COMMAND, register_tasks

log = logging.getLogger("fleetgate.jobs")
# Two processes starting at once must not both create the schema.
SCHEMA_LOCK = 0x66676A6F  # "fgjo"


class JobEngineUnavailable(RuntimeError):
    pass


def conninfo(database_url: str) -> str:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise JobEngineUnavailable(
            "Workers need PostgreSQL: set FLEETGATE_DATABASE_URL to a postgresql:// URL, or run commands in the "
            "API process (FLEETGATE_COMMAND_EXECUTOR=in_process, the default)."
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def job_app(database_url: str) -> AsyncIterator[procrastinate.App]:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url)))
    register_tasks(app)
    async with app.open_async():
        await ensure_schema(app)
        yield app


async def ensure_schema(app: procrastinate.App) -> None:
    connector = app.connector
    async with connector.pool.connection() as connection, connection.transaction():  # type: ignore[attr-defined]
        await connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        found = await connection.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        row = await found.fetchone()
        if row is not None and row[0]:
            return
        log.info("creating the job queue's tables")
        await connection.execute(SchemaManager.get_schema())


async def defer_command(app: procrastinate.App, command_id: str, device_id: str, at: datetime | None = None) -> bool:
    """False when the command already waits in the queue."""
    task = app.tasks[RUN_COMMAND]
    try:
        await task.configure(
            lock=f"device:{device_id}", queueing_lock=f"command:{command_id}", schedule_at=at
        ).defer_async(command_id=command_id)
    except procrastinate_errors.AlreadyEnqueued:
        return False
    return True
