from __future__ import annotations

from fastapi import APIRouter, Response

from fleetgate.features.connections.errors import ConnectionRevoked
from fleetgate.features.connections.tesla_errors import TESLA_ACCOUNT_ERRORS, VirtualKeyNotPaired
from fleetgate.features.devices.errors import DeviceRemoved
from fleetgate.features.telemetry.budgets import usage_of, workspace_signals_today
from fleetgate.features.telemetry.errors import (
    AppKeyMissing,
    ConfigLimitReached,
    TelemetryNotConfigured,
    TelemetryReceiverMissing,
    UnsupportedFirmware,
    UnsupportedHardware,
)
from fleetgate.features.telemetry.schemas import TelemetryIn, TelemetryOut, WorkspaceBudgetIn, WorkspaceBudgetOut
from fleetgate.features.telemetry.service import configure, configured, remove
from fleetgate.features.telemetry.views import telemetry_out
from fleetgate.features.workspaces.service import get_workspace
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep
from fleetgate.infra.errors import InsufficientScope, NeedsReconnect
from fleetgate.infra.openapi import documented_errors

router = APIRouter(tags=["telemetry"])
PATH = "/v1/devices/{device_id}/telemetry"


@router.put(
    PATH,
    name="configure_telemetry",
    summary="Choose what a vehicle streams, and see what it costs",
    description="Validates the fields against the catalogue, checks the device's `telemetry` capability, signs "
    "Tesla's config with the app's key and posts it. The config is `pending` until the car takes it (it must be "
    "online); the answer carries a cost estimate beside what polling at the same freshness would cost.",
    responses=documented_errors(
        InsufficientScope,
        NeedsReconnect,
        ConnectionRevoked,
        VirtualKeyNotPaired,
        UnsupportedFirmware,
        UnsupportedHardware,
        ConfigLimitReached,
        TelemetryReceiverMissing,
        AppKeyMissing,
        DeviceRemoved,
        *TESLA_ACCOUNT_ERRORS,
        s403="the connection lacks `vehicle_data` (or `vehicle_location` for location fields); the remedy names it",
        s409="the car lacks the app's key, its software or hardware cannot stream, it streams to as many apps as it "
        "can, or fleetgate's receiver or key is not set up; each with its remedy",
    ),
)
async def put_telemetry(
    device_id: str, body: TelemetryIn, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep
) -> TelemetryOut:
    device, row = await configure(session, runtime, workspace.id, device_id, body)
    return telemetry_out(device, row, await usage_of(session, row, utcnow()))


@router.get(
    PATH,
    name="get_telemetry",
    summary="Read a vehicle's telemetry config, its status at Tesla and its cost estimate",
    responses=documented_errors(TelemetryNotConfigured),
)
async def get_telemetry(device_id: str, workspace: WorkspaceDep, session: SessionDep) -> TelemetryOut:
    device, row = await configured(session, workspace.id, device_id)
    return telemetry_out(device, row, await usage_of(session, row, utcnow()))


@router.delete(
    PATH,
    name="delete_telemetry",
    summary="Stop a vehicle's streaming: remove its config at Tesla and here",
    status_code=204,
    responses=documented_errors(TelemetryNotConfigured, *TESLA_ACCOUNT_ERRORS),
)
async def delete_telemetry(
    device_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep
) -> Response:
    await remove(session, runtime, workspace.id, device_id)
    return Response(status_code=204)


@router.get(
    "/v1/workspace/telemetry-budget",
    name="get_workspace_telemetry_budget",
    summary="Read the workspace's streaming budget and today's signals",
)
async def get_workspace_budget(workspace: WorkspaceDep, session: SessionDep) -> WorkspaceBudgetOut:
    row = await get_workspace(session, workspace.id)
    signals = await workspace_signals_today(session, workspace.id, utcnow())
    return WorkspaceBudgetOut(signals_per_day=row.telemetry_signals_per_day_budget, signals_today=signals)


@router.put(
    "/v1/workspace/telemetry-budget",
    name="set_workspace_telemetry_budget",
    summary="Set the signals a day all the workspace's vehicles may stream together",
    description="Once a day's budget is spent, fleetgate removes every streaming vehicle's config at Tesla until the "
    "next day (UTC), as with a device's own budget; null removes the budget.",
)
async def set_workspace_budget(
    body: WorkspaceBudgetIn, workspace: WorkspaceDep, session: SessionDep
) -> WorkspaceBudgetOut:
    row = await get_workspace(session, workspace.id)
    row.telemetry_signals_per_day_budget = body.signals_per_day
    await session.flush()
    signals = await workspace_signals_today(session, workspace.id, utcnow())
    return WorkspaceBudgetOut(signals_per_day=row.telemetry_signals_per_day_budget, signals_today=signals)
