"""Periodic device sync: active connections' device lists refreshed from Tesla every `interval` seconds.

A pass takes the active connections not synced for half an interval (the connect flow, `POST …/sync` and other
processes' passes count), oldest first, and syncs them one at a time, each in a transaction of its own, with
`sync_connection`: a fresh access token (scopes the user changed on Tesla's side arrive in it), then `products`
and `fleet_status` — new devices discovered, vanished ones marked removed. A connection that fails is logged and
the pass goes on; one whose refresh Tesla refuses becomes `needs_reconnect` and leaves the rotation.

It runs as an asyncio task of the API process, started in the lifespan (`periodic_sync`) and cancelled at
shutdown; an interval of 0 turns it off. Several processes may each run it: a connection is checked again just
before its sync, so one another process has just synced is skipped; two passes starting at the same moment can
still both sync it, which costs two unbilled calls and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from fleetgate.features.devices.discovery import SyncReport, sync_connection
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.release import release
from fleetgate.infra.models import Connection
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.passes import Passes, in_background

log = logging.getLogger("fleetgate.sync")
DEFAULT_INTERVAL_SECONDS = 6 * 3600
# The first pass waits a little after start-up (at most this), so a restart does not begin with a burst of calls.
FIRST_PASS_DELAY_SECONDS = 60.0


@dataclass
class SyncPass:
    synced: dict[str, SyncReport] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


async def due_connections(runtime: Runtime, min_age: timedelta) -> list[str]:
    async with runtime.sessionmaker() as session:
        query = (
            select(Connection.id)
            .where(
                Connection.status == ConnectionStatus.ACTIVE,
                Connection.access_token_enc.is_not(None),
                or_(Connection.synced_at.is_(None), Connection.synced_at < utcnow() - min_age),
            )
            .order_by(Connection.synced_at.asc().nulls_first(), Connection.id)
        )
        return list((await session.scalars(query)).all())


async def sync_one(runtime: Runtime, connection_id: str, min_age: timedelta) -> SyncReport | None:
    """None when the connection is no longer due (synced meanwhile, disconnected)."""
    async with runtime.sessionmaker() as session:
        try:
            connection = await session.get(Connection, connection_id)
            if connection is None or not _still_due(connection, utcnow() - min_age):
                return None
            # As the API's sync: no connection held while Tesla answers (see `connections.routes.sync`).
            await release(session)
            report = await sync_connection(session, runtime, connection)
            await session.commit()
            return report
        except BaseException:
            await session.rollback()
            raise


def _still_due(connection: Connection, cutoff: datetime) -> bool:
    return (
        connection.status == ConnectionStatus.ACTIVE
        and connection.access_token_enc is not None
        and (connection.synced_at is None or connection.synced_at < cutoff)
    )


async def sync_pass(runtime: Runtime, interval_seconds: float) -> SyncPass:
    """One pass over the due connections, one at a time."""
    min_age = timedelta(seconds=interval_seconds / 2)
    result = SyncPass()
    for connection_id in await due_connections(runtime, min_age):
        try:
            report = await sync_one(runtime, connection_id, min_age)
        except Exception as exc:
            # Tesla's errors carry a `reason`; the rest (the database, a bug) gets its traceback.
            reason = getattr(exc, "reason", None)
            log.warning("periodic sync of %s failed: %s", connection_id, reason or exc, exc_info=reason is None)
            result.failed.append(connection_id)
            continue
        if report is not None:
            result.synced[connection_id] = report
            if report.discovered or report.removed:
                log.info(
                    "periodic sync of %s: %d device(s) discovered, %d removed",
                    connection_id,
                    len(report.discovered),
                    len(report.removed),
                )
    return result


@asynccontextmanager
async def periodic_sync(
    runtime: Runtime, interval_seconds: float = DEFAULT_INTERVAL_SECONDS, *, first_delay: float | None = None
) -> AsyncIterator[asyncio.Task[None] | None]:
    """The periodic sync as a task for the duration of the block (none when `interval_seconds` is 0)."""

    async def run_pass() -> None:
        await sync_pass(runtime, interval_seconds)

    delay = min(interval_seconds, FIRST_PASS_DELAY_SECONDS) if first_delay is None else first_delay
    passes = Passes("periodic device sync", run_pass, interval_seconds, log, first_delay=delay)
    async with in_background(passes) as task:
        yield task
