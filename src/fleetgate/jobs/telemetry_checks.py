"""Telemetry configs checked at Tesla: whether the car took its config, reported an error of it, or lost it.

Tesla tells no one when a car takes a config (that can take minutes or hours: the car must be online) or when a
config disappears, so fleetgate asks: a pending config every pass (`telemetry_check_interval_seconds`), a synced
one every `SYNCED_EVERY` (noticing removal), each with the car's config and its errors (two billed data requests).
A synced config whose car streamed to the receiver within `SYNCED_EVERY` is not asked about: the stream shows the
config is there, and the two requests would cost a streaming car more than its signals (eight a day, $0.48 a
month, where the car's signals cost cents).
Failed and removed configs are not asked about: only a new config changes them. A change of status is written with
its event (`telemetry.synced`, `telemetry.failed`, `telemetry.removed`) in one transaction.

Each check holds no database connection while Tesla answers (`infra.db.release`); a config posted again meanwhile
is left to the next pass. A check that fails (Tesla, a connection that needs a reconnect) is logged, and the pass
goes on.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import Exists, and_, or_, select

from fleetgate.features.events.service import record_event
from fleetgate.features.events.types import TELEMETRY_FAILED, TELEMETRY_REMOVED, TELEMETRY_SYNCED
from fleetgate.features.telemetry.budgets import usage_of
from fleetgate.features.telemetry.service import apply_answer, ask_tesla
from fleetgate.features.telemetry.views import telemetry_out
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection, Device, TelemetryConfig, TelemetryRecord
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.models.telemetry_config import TelemetryStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.passes import Passes, in_background, warn_step_failed
from fleetgate.jobs.telemetry_budgets import budget_pass
from fleetgate.jobs.telemetry_renewals import renewal_pass
from fleetgate.protocol.telemetry.records import TOPIC_VEHICLE_DATA

log = logging.getLogger("fleetgate.telemetry_checks")
SYNCED_EVERY = timedelta(hours=6)
EVENT_OF = {
    TelemetryStatus.SYNCED: TELEMETRY_SYNCED,
    TelemetryStatus.FAILED: TELEMETRY_FAILED,
    TelemetryStatus.REMOVED: TELEMETRY_REMOVED,
}


async def due_configs(
    runtime: Runtime, now: datetime, pending_every: timedelta, synced_every: timedelta = SYNCED_EVERY
) -> list[str]:
    """Devices whose config is due a check, the longest unchecked first."""
    due = or_(
        and_(
            TelemetryConfig.status == TelemetryStatus.PENDING,
            or_(TelemetryConfig.checked_at.is_(None), TelemetryConfig.checked_at <= now - pending_every),
        ),
        and_(
            TelemetryConfig.status == TelemetryStatus.SYNCED,
            or_(TelemetryConfig.checked_at.is_(None), TelemetryConfig.checked_at <= now - synced_every),
            ~_streamed_since(now - synced_every),
        ),
    )
    query = (
        select(TelemetryConfig.device_id)
        .join(Device, Device.id == TelemetryConfig.device_id)
        .join(Connection, Connection.id == Device.connection_id)
        .where(due, Device.status == DeviceStatus.ACTIVE, Connection.status == ConnectionStatus.ACTIVE)
        .order_by(TelemetryConfig.checked_at.asc().nulls_first(), TelemetryConfig.device_id)
    )
    async with runtime.sessionmaker() as session:
        return list((await session.scalars(query)).all())


def _streamed_since(moment: datetime) -> Exists:
    # On the records' unique index (device, topic, the car's time of the record).
    return (
        select(TelemetryRecord.id)
        .where(
            TelemetryRecord.device_id == TelemetryConfig.device_id,
            TelemetryRecord.topic == TOPIC_VEHICLE_DATA.decode(),
            TelemetryRecord.created_at > moment,
        )
        .exists()
    )


async def check_one(runtime: Runtime, device_id: str) -> TelemetryStatus | None:
    """The config's new status, if Tesla's answer changed it."""
    async with runtime.sessionmaker() as session:
        try:
            row = await session.get(TelemetryConfig, device_id)
            device = await session.get(Device, device_id)
            if row is None or device is None:
                return None
            posted = row.expires_at
            view = await ask_tesla(runtime, session, device)
            row = await session.get(TelemetryConfig, device_id, populate_existing=True)
            if row is None or row.expires_at != posted:
                return None  # deleted, or posted again, while Tesla answered
            status = apply_answer(row, view, utcnow())
            if status is not None:
                await session.flush()
                usage = await usage_of(session, row, utcnow())
                data = telemetry_out(device, row, usage).model_dump(mode="json")
                await record_event(session, workspace_id=row.workspace_id, type=EVENT_OF[status], data=data)
            await session.commit()
            return status
        except BaseException:
            await session.rollback()
            raise


async def check_pass(
    runtime: Runtime, *, pending_every: timedelta | None = None, synced_every: timedelta = SYNCED_EVERY
) -> dict[str, TelemetryStatus]:
    """One pass over the due configs, one at a time; the statuses that changed, by device."""
    every = pending_every if pending_every is not None else _pending_every(runtime)
    changed: dict[str, TelemetryStatus] = {}
    for device_id in await due_configs(runtime, utcnow(), every, synced_every):
        try:
            status = await check_one(runtime, device_id)
        except Exception as exc:
            warn_step_failed(log, f"telemetry check of {device_id} failed", exc)
            continue
        if status is not None:
            changed[device_id] = status
            log.info("telemetry config of %s: %s", device_id, status)
    return changed


def _pending_every(runtime: Runtime) -> timedelta:
    # Half an interval: a config checked by the last pass is due again at this one.
    return timedelta(seconds=runtime.settings.telemetry_check_interval_seconds / 2)


@asynccontextmanager
async def telemetry_checks(runtime: Runtime) -> AsyncIterator[None]:
    """The budgets' pass, the renewals and the checks as a task for the duration of the block (none when the
    interval is 0)."""

    async def run_pass() -> None:
        await budget_pass(runtime)
        await renewal_pass(runtime)
        await check_pass(runtime)

    interval = runtime.settings.telemetry_check_interval_seconds
    passes = Passes("telemetry config checks", run_pass, interval, log, first_delay=min(interval, 60))
    async with in_background(passes):
        yield
