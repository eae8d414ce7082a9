"""Telemetry configs posted again before their `exp` (`RENEW_BEFORE`), since a car stops streaming at it: a new
`exp`, `pending` until the car takes it, as any new config. It runs in the telemetry checks' task
(`jobs.telemetry_checks`); each device in a transaction of its own, none held while Tesla answers. A car Tesla now
skips is left as it is, its config running out, and logged; the next check or PUT says why.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from fleetgate.features.telemetry.service import repost
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection, Device, TelemetryConfig
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.models.telemetry_config import TelemetryStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.passes import warn_step_failed

log = logging.getLogger("fleetgate.telemetry_renewals")
RENEW_BEFORE = timedelta(days=14)
RENEWED = (TelemetryStatus.PENDING, TelemetryStatus.SYNCED)


async def due_renewals(runtime: Runtime, now: datetime) -> list[str]:
    query = (
        select(TelemetryConfig.device_id)
        .join(Device, Device.id == TelemetryConfig.device_id)
        .join(Connection, Connection.id == Device.connection_id)
        .where(
            TelemetryConfig.status.in_(RENEWED),
            TelemetryConfig.expires_at <= now + RENEW_BEFORE,
            Device.status == DeviceStatus.ACTIVE,
            Connection.status == ConnectionStatus.ACTIVE,
        )
        .order_by(TelemetryConfig.expires_at, TelemetryConfig.device_id)
    )
    async with runtime.sessionmaker() as session:
        return list((await session.scalars(query)).all())


async def renew_one(runtime: Runtime, device_id: str, now: datetime) -> bool:
    async with runtime.sessionmaker() as session:
        try:
            row = await session.get(TelemetryConfig, device_id)
            device = await session.get(Device, device_id)
            if row is None or device is None or row.status not in RENEWED or row.expires_at > now + RENEW_BEFORE:
                return False
            renewed = await repost(session, runtime, device, row, utcnow())
            await session.commit()
            return renewed
        except BaseException:
            await session.rollback()
            raise


async def renewal_pass(runtime: Runtime, *, now: datetime | None = None) -> list[str]:
    """The devices whose config was posted again. `now`: the moment expiry is judged at."""
    moment = now or utcnow()
    renewed = []
    for device_id in await due_renewals(runtime, moment):
        try:
            if await renew_one(runtime, device_id, moment):
                renewed.append(device_id)
        except Exception as exc:
            warn_step_failed(log, f"telemetry config of {device_id} not renewed", exc)
    return renewed
