"""Signals-a-day budgets: a device's own (`signals_per_day_budget` of its config) and its workspace's (all its
vehicles together), counted in UTC days from the signals the receiver stored (`telemetry_records.signals`).

A receiver cannot stop a car from sending, and Tesla bills what the car sends: so when a day's budget is spent,
fleetgate removes the config at Tesla (`pause`: status `paused_budget`, until the next day) and posts it again
when the day is over (`resume`: `pending`, then `synced` as for any new config). Both run in the background pass
(`jobs.telemetry_checks`), each with no database connection held while Tesla answers. A pause comes after the
budget is spent, so a day may end a little over it: what the car sent while the pass had not yet run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.devices.service import connection_of
from fleetgate.features.telemetry.service import repost
from fleetgate.infra.db.release import release
from fleetgate.infra.models import Device, TelemetryConfig, TelemetryRecord, Workspace
from fleetgate.infra.models.telemetry_config import TelemetryStatus
from fleetgate.infra.runtime import Runtime

STREAMING = (TelemetryStatus.PENDING, TelemetryStatus.SYNCED)


@dataclass(frozen=True, slots=True)
class BudgetUsage:
    signals_today: int
    workspace_budget: int | None


def day_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def next_day(now: datetime) -> datetime:
    return day_start(now) + timedelta(days=1)


def _signals_since(since: datetime, *where: ColumnElement[bool]) -> Select[Any]:
    return select(func.coalesce(func.sum(TelemetryRecord.signals), 0)).where(
        TelemetryRecord.received_at >= since, *where
    )


async def device_signals_today(session: AsyncSession, device_id: str, now: datetime) -> int:
    return int(await session.scalar(_signals_since(day_start(now), TelemetryRecord.device_id == device_id)) or 0)


async def workspace_signals_today(session: AsyncSession, workspace_id: str, now: datetime) -> int:
    since = day_start(now)
    return int(await session.scalar(_signals_since(since, TelemetryRecord.workspace_id == workspace_id)) or 0)


async def usage_of(session: AsyncSession, row: TelemetryConfig, now: datetime) -> BudgetUsage:
    workspace = await session.get(Workspace, row.workspace_id)
    budget = workspace.telemetry_signals_per_day_budget if workspace is not None else None
    return BudgetUsage(await device_signals_today(session, row.device_id, now), budget)


async def over_budget(session: AsyncSession, now: datetime) -> list[str]:
    """Devices whose config streams though its own or its workspace's budget for today is spent."""
    since = day_start(now)
    device_budget = TelemetryConfig.signals_per_day_budget
    workspace_budget = Workspace.telemetry_signals_per_day_budget
    # Only the records of devices and workspaces with a budget are summed: none at all when no budget is set.
    with_budget = select(TelemetryConfig.device_id).where(device_budget.is_not(None))
    workspaces_with_budget = select(Workspace.id).where(workspace_budget.is_not(None))
    by_device = (
        select(TelemetryRecord.device_id, func.sum(TelemetryRecord.signals).label("signals"))
        .where(TelemetryRecord.received_at >= since, TelemetryRecord.device_id.in_(with_budget))
        .group_by(TelemetryRecord.device_id)
        .subquery()
    )
    by_workspace = (
        select(TelemetryRecord.workspace_id, func.sum(TelemetryRecord.signals).label("signals"))
        .where(TelemetryRecord.received_at >= since, TelemetryRecord.workspace_id.in_(workspaces_with_budget))
        .group_by(TelemetryRecord.workspace_id)
        .subquery()
    )
    query = (
        select(TelemetryConfig.device_id)
        .join(Workspace, Workspace.id == TelemetryConfig.workspace_id)
        .outerjoin(by_device, by_device.c.device_id == TelemetryConfig.device_id)
        .outerjoin(by_workspace, by_workspace.c.workspace_id == TelemetryConfig.workspace_id)
        .where(
            TelemetryConfig.status.in_(STREAMING),
            or_(
                and_(device_budget.is_not(None), func.coalesce(by_device.c.signals, 0) >= device_budget),
                and_(workspace_budget.is_not(None), func.coalesce(by_workspace.c.signals, 0) >= workspace_budget),
            ),
        )
        .order_by(TelemetryConfig.device_id)
    )
    return list((await session.scalars(query)).all())


async def paused_until_now(session: AsyncSession, now: datetime) -> list[str]:
    query = (
        select(TelemetryConfig.device_id)
        .where(TelemetryConfig.status == TelemetryStatus.PAUSED_BUDGET, TelemetryConfig.paused_until <= now)
        .order_by(TelemetryConfig.device_id)
    )
    return list((await session.scalars(query)).all())


async def pause(session: AsyncSession, runtime: Runtime, device: Device, row: TelemetryConfig, now: datetime) -> bool:
    """Removed at Tesla, then `paused_budget` until the next day; False when the row changed while Tesla answered
    (deleted, or configured again)."""
    connection = await connection_of(session, device)
    posted = row.expires_at
    await release(session)
    async with fleet_api(runtime, session, connection, [device]) as api:
        await api.delete_telemetry_config(device.external_id)
    fresh = await session.get(TelemetryConfig, device.id, populate_existing=True)
    if fresh is None or fresh.expires_at != posted:
        return False
    fresh.status = TelemetryStatus.PAUSED_BUDGET
    fresh.paused_until = next_day(now)
    fresh.checked_at = now
    fresh.updated_at = now
    return True


async def resume(session: AsyncSession, runtime: Runtime, device: Device, row: TelemetryConfig, now: datetime) -> bool:
    """Posted again, `pending` (see `service.repost`)."""
    return await repost(session, runtime, device, row, now)
