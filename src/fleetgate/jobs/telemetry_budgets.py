"""The budgets' pass (see `telemetry.budgets`): configs whose day's budget is spent removed at Tesla and paused
(`telemetry.paused`), paused ones posted again once their day is over (`pending`; a car Tesla now skips, `failed`
with Tesla's reason and `telemetry.failed`). Each device in a transaction of its own; one that fails is logged and
the pass goes on. It runs before the config checks, in the same background task (`jobs.telemetry_checks`).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.events.service import record_event
from fleetgate.features.events.types import TELEMETRY_FAILED, TELEMETRY_PAUSED
from fleetgate.features.telemetry.budgets import over_budget, pause, paused_until_now, resume, usage_of
from fleetgate.features.telemetry.errors import SKIPPED
from fleetgate.features.telemetry.views import telemetry_out
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Device, TelemetryConfig
from fleetgate.infra.models.telemetry_config import TelemetryStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.passes import warn_step_failed

log = logging.getLogger("fleetgate.telemetry_budgets")


async def _record(session: AsyncSession, device: Device, event_type: str, now: datetime) -> None:
    row = await session.get(TelemetryConfig, device.id)
    assert row is not None  # written in this transaction
    data = telemetry_out(device, row, await usage_of(session, row, now)).model_dump(mode="json")
    await record_event(session, workspace_id=row.workspace_id, type=event_type, data=data)


async def pause_one(runtime: Runtime, device_id: str, now: datetime) -> TelemetryStatus | None:
    async with runtime.sessionmaker() as session:
        try:
            row = await session.get(TelemetryConfig, device_id)
            device = await session.get(Device, device_id)
            if row is None or device is None or row.status not in (TelemetryStatus.PENDING, TelemetryStatus.SYNCED):
                return None
            if not await pause(session, runtime, device, row, now):
                return None
            await session.flush()
            await _record(session, device, TELEMETRY_PAUSED, now)
            await session.commit()
            return TelemetryStatus.PAUSED_BUDGET
        except BaseException:
            await session.rollback()
            raise


async def resume_one(runtime: Runtime, device_id: str, now: datetime) -> TelemetryStatus | None:
    async with runtime.sessionmaker() as session:
        try:
            row = await session.get(TelemetryConfig, device_id)
            device = await session.get(Device, device_id)
            if row is None or device is None or row.status != TelemetryStatus.PAUSED_BUDGET:
                return None
            try:
                if not await resume(session, runtime, device, row, now):
                    return None
                status = TelemetryStatus.PENDING
            except SKIPPED as exc:
                # Tesla skipped the car (its key, its software, other apps): failed, with what fixes it.
                failed = await session.get(TelemetryConfig, device_id, populate_existing=True)
                if failed is None:
                    return None
                failed.status = TelemetryStatus.FAILED
                failed.error = {"name": exc.code, "message": exc.message, "at": now.isoformat()}
                failed.paused_until = None
                failed.updated_at = now
                status = TelemetryStatus.FAILED
            await session.flush()
            if status == TelemetryStatus.FAILED:
                await _record(session, device, TELEMETRY_FAILED, now)
            await session.commit()
            return status
        except BaseException:
            await session.rollback()
            raise


async def budget_pass(runtime: Runtime, *, now: datetime | None = None) -> dict[str, TelemetryStatus]:
    """The statuses that changed, by device. `now`: the moment the budgets' day is judged at."""
    moment = now or utcnow()
    async with runtime.sessionmaker() as session:
        spent = await over_budget(session, moment)
        over = await paused_until_now(session, moment)
    changed: dict[str, TelemetryStatus] = {}
    for step, device_ids in ((pause_one, spent), (resume_one, over)):
        for device_id in device_ids:
            try:
                status = await step(runtime, device_id, moment)
            except Exception as exc:
                warn_step_failed(log, f"telemetry budget of {device_id}", exc)
                continue
            if status is not None:
                changed[device_id] = status
                log.info("telemetry config of %s: %s", device_id, status)
    return changed
