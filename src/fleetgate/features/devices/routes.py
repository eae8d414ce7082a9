from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from fleetgate.features.connections.tesla_errors import TESLA_ACCOUNT_ERRORS, upstream_errors
from fleetgate.features.devices.errors import DeviceRemoved, VehicleUnreachable
from fleetgate.features.devices.pairing import check_virtual_key
from fleetgate.features.devices.schemas import CapabilityOut, DeviceOut, DevicePage, VirtualKeyStatus
from fleetgate.features.devices.service import (
    capabilities_out,
    connection_of,
    connections_by_id,
    device_out,
    get_device,
    get_vehicle,
    list_query,
    virtual_key_status,
)
from fleetgate.features.devices.state_routes import router as state_router
from fleetgate.infra.db.release import release
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep
from fleetgate.infra.models import Device
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.openapi import documented_errors
from fleetgate.infra.pagination import PageDep, paginate

router = APIRouter(tags=["devices"])
router.include_router(state_router)  # GET /v1/devices/{device_id}/state


@router.get("/v1/devices", name="list_devices", summary="List devices")
async def list_devices(
    workspace: WorkspaceDep,
    session: SessionDep,
    runtime: RuntimeDep,
    page: PageDep,
    customer_id: str | None = None,
    connection_id: str | None = None,
    device_type: Annotated[Literal["vehicle", "energy_site"] | None, Query(alias="type")] = None,
    status: DeviceStatus | None = None,
) -> DevicePage:
    query = list_query(
        workspace.id, customer_id=customer_id, connection_id=connection_id, device_type=device_type, status=status
    )
    rows, cursor = await paginate(session, query, Device, page)
    connections = await connections_by_id(session, rows)
    return DevicePage(
        data=[device_out(runtime, row, connections[row.connection_id]) for row in rows], next_cursor=cursor
    )


@router.get("/v1/devices/{device_id}", name="get_device", summary="Read a device")
async def get(device_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep) -> DeviceOut:
    device = await get_device(session, workspace.id, device_id)
    return device_out(runtime, device, await connection_of(session, device))


@router.get(
    "/v1/devices/{device_id}/capabilities",
    name="get_device_capabilities",
    summary="Read what a device may do with its connection's access",
)
async def capabilities(
    device_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep
) -> dict[str, CapabilityOut]:
    device = await get_device(session, workspace.id, device_id)
    return capabilities_out(runtime, device, await connection_of(session, device))


@router.get(
    "/v1/devices/{device_id}/virtual-key",
    name="get_virtual_key",
    summary="Read whether a car has the app's virtual key",
)
async def virtual_key(
    device_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep
) -> VirtualKeyStatus:
    return virtual_key_status(runtime, await get_vehicle(session, workspace.id, device_id))


@router.post(
    "/v1/devices/{device_id}/virtual-key/check",
    name="check_virtual_key",
    summary="Ask Tesla again whether a car has the app's virtual key",
    responses=documented_errors(*TESLA_ACCOUNT_ERRORS, DeviceRemoved, VehicleUnreachable),
)
async def check(device_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep) -> VirtualKeyStatus:
    device = await get_vehicle(session, workspace.id, device_id)
    connection = await connection_of(session, device)
    # No database connection held while Tesla answers; the answer is written in a transaction begun after it.
    await release(session)
    async with upstream_errors(runtime, session, connection):
        await check_virtual_key(session, runtime, device, connection)
    return virtual_key_status(runtime, device)
