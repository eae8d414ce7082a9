"""Old records deleted, so that tables grow with activity, not with time: commands that ended, events (their webhook
deliveries and attempts go with them), and upstream calls and the ledger of streaming signals once their month's
usage no longer matters.

Streamed records (`telemetry_records`, a row per record: 17 million a day for 1,000 cars sending every 5 seconds)
are rolled up sooner, after `telemetry_record_retention_days`: summed per device and hour into
`telemetry_signal_hours`, whose rows go at the usage horizon. Each batch deletes its records with RETURNING and adds
what it deleted, in one transaction, so that two processes rolling up at once never count a record twice.

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
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fleetgate.config import Settings
from fleetgate.features.commands.status import TERMINAL
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Command, Event, TelemetryRecord, TelemetrySignalHour, UpstreamCall
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
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
    telemetry_records: int = 0  # rolled up into `telemetry_signal_hours`
    telemetry_signal_hours: int = 0


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
    records = await roll_up_records(
        sessions, hour_start(now - timedelta(days=settings.telemetry_record_retention_days))
    )
    hours = await _in_batches(sessions, TelemetrySignalHour, TelemetrySignalHour.hour < hour_start(usage_horizon))
    return Pruned(commands, events, calls, records, hours)


def hour_start(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


RECORDS = cast(Table, TelemetryRecord.__table__)
HOURS = cast(Table, TelemetrySignalHour.__table__)
ROLL_UP_BATCH = 5000


def _add_to_hour(dialect: Any) -> Any:
    statement = dialect.insert(HOURS)
    return statement.on_conflict_do_update(
        index_elements=["workspace_id", "connection_id", "device_id", "hour"],
        set_={
            "records": HOURS.c.records + statement.excluded.records,
            "signals": HOURS.c.signals + statement.excluded.signals,
        },
    )


ADD_TO_HOUR = {"postgresql": _add_to_hour(postgresql), "sqlite": _add_to_hour(sqlite)}


async def roll_up_records(sessions: async_sessionmaker[AsyncSession], before: datetime) -> int:
    """Records received before `before` summed into their devices' hours, oldest first; how many."""
    rolled = 0
    while True:
        async with sessions() as session, session.begin():
            oldest = (
                select(RECORDS.c.id)
                .where(RECORDS.c.received_at < before)
                .order_by(RECORDS.c.received_at)
                .limit(ROLL_UP_BATCH)
                .scalar_subquery()
            )
            taken = RECORDS.c.workspace_id, RECORDS.c.connection_id, RECORDS.c.device_id, RECORDS.c.received_at
            deleted = (
                await session.execute(
                    delete(RECORDS).where(RECORDS.c.id.in_(oldest)).returning(*taken, RECORDS.c.signals)
                )
            ).all()
            sums: dict[tuple[str, str | None, str | None, datetime], list[int]] = {}
            for workspace_id, connection_id, device_id, received_at, signals in deleted:
                counts = sums.setdefault((workspace_id, connection_id, device_id, hour_start(received_at)), [0, 0])
                counts[0] += 1
                counts[1] += signals
            rows = [
                {
                    "id": new_id("tsh"),
                    "workspace_id": workspace_id,
                    "connection_id": connection_id,
                    "device_id": device_id,
                    "hour": hour,
                    "records": records,
                    "signals": signals,
                }
                # In one order in every process, so that two adding to the same hours wait rather than deadlock.
                for (workspace_id, connection_id, device_id, hour), (records, signals) in sorted(
                    sums.items(), key=lambda item: (item[0][0], item[0][1] or "", item[0][2] or "", item[0][3])
                )
            ]
            if rows:
                await session.execute(ADD_TO_HOUR[session.get_bind().dialect.name], rows)
        rolled += len(deleted)
        if len(deleted) < ROLL_UP_BATCH:
            return rolled


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
    if any(astuple(pruned)):
        log.info(
            "retention: deleted %d commands, %d events, %d upstream calls, %d hours of streaming signals; rolled up "
            "%d telemetry records",
            pruned.commands,
            pruned.events,
            pruned.upstream_calls,
            pruned.telemetry_signal_hours,
            pruned.telemetry_records,
        )


@asynccontextmanager
async def retention_sweeps(runtime: Runtime) -> AsyncIterator[asyncio.Task[None] | None]:
    interval = runtime.settings.retention_interval_seconds
    first_delay = min(interval, FIRST_SWEEP_DELAY_SECONDS)
    passes = Passes("retention sweep", partial(sweep, runtime), interval, log, first_delay=first_delay)
    async with in_background(passes) as task:
        yield task
