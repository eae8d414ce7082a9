"""Old records deleted, so that tables grow with activity, not with time: commands that ended, events (their webhook
deliveries and attempts go with them), and upstream calls and streamed records (`telemetry_records`, the ledger of
streaming signals) once their month's usage no longer matters.

Only what can no longer change is deleted: a command still queued or in progress stays whatever its age, and an
event's deliveries end within about 28 hours of it, long before its retention does. Rows go in batches, each a
transaction of its own, so that a large backlog never holds the database for long.

The sweep is a task of the API process (`retention_sweeps`): every `retention_interval_seconds`, 0 for never.
Several processes may each run it; a row is deleted once, by whoever gets to it first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fleetgate.config import Settings
from fleetgate.features.commands.status import TERMINAL
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Command, Event, TelemetryRecord, UpstreamCall
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.passes import Passes, in_background

log = logging.getLogger("fleetgate.retention")
BATCH = 1000
# After start-up, the first sweep waits this long (at most): a restart does not begin with a burst of deletes.
FIRST_SWEEP_DELAY_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Pruned:
    commands: int
    events: int
    upstream_calls: int
    telemetry_records: int = 0


async def prune(sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime) -> Pruned:
    commands = await _in_batches(
        sessions,
        Command,
        Command.status.in_(TERMINAL),
        Command.completed_at < now - timedelta(days=settings.command_retention_days),
    )
    events = await _in_batches(sessions, Event, Event.created_at < now - timedelta(days=settings.event_retention_days))
    calls = await _in_batches(
        sessions, UpstreamCall, UpstreamCall.at < now - timedelta(days=settings.usage_retention_days)
    )
    usage_horizon = now - timedelta(days=settings.usage_retention_days)
    records = await _in_batches(sessions, TelemetryRecord, TelemetryRecord.received_at < usage_horizon)
    return Pruned(commands, events, calls, records)


async def _in_batches(sessions: async_sessionmaker[AsyncSession], model: Any, *conditions: Any) -> int:
    deleted = 0
    while True:
        async with sessions() as session, session.begin():
            batch = select(model.id).where(*conditions).limit(BATCH).scalar_subquery()
            result = await session.execute(delete(model).where(model.id.in_(batch)))
            count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        deleted += count
        if count < BATCH:
            return deleted


async def sweep(runtime: Runtime) -> None:
    pruned = await prune(runtime.sessionmaker, runtime.settings, utcnow())
    if pruned.commands or pruned.events or pruned.upstream_calls or pruned.telemetry_records:
        log.info(
            "retention: deleted %d commands, %d events, %d upstream calls, %d telemetry records",
            pruned.commands,
            pruned.events,
            pruned.upstream_calls,
            pruned.telemetry_records,
        )


@asynccontextmanager
async def retention_sweeps(runtime: Runtime) -> AsyncIterator[asyncio.Task[None] | None]:
    interval = runtime.settings.retention_interval_seconds
    first_delay = min(interval, FIRST_SWEEP_DELAY_SECONDS)
    passes = Passes("retention sweep", partial(sweep, runtime), interval, log, first_delay=first_delay)
    async with in_background(passes) as task:
        yield task
