"""`GET /v1/devices/{id}/state`: the normalised state of a vehicle or an energy site, from cache or from Tesla."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from fleetgate.features.devices.state_schemas import DeviceStateOut, VehicleAsleepBody
from fleetgate.features.devices.state_service import DEFAULT_MAX_AGE_SECONDS, read_state, render
from fleetgate.infra.dependencies import RuntimeDep, WorkspaceDep
from fleetgate.infra.openapi import ErrorBody

# Included by `devices.routes`, under its /v1/devices prefix.
router = APIRouter()
MAX_AGE_LIMIT = 365 * 24 * 3600.0

ERRORS: dict[int | str, dict[str, Any]] = {
    403: {
        "model": ErrorBody,
        "description": "`insufficient_scope`: the connection lacks the access this read needs (`vehicle_data` or "
        "`energy_data`); the remedy names it with the reconnect and manage-access links. Tesla was not called.",
    },
    404: {"model": ErrorBody, "description": "`not_found`: no such device in this workspace"},
    409: {
        "model": VehicleAsleepBody,
        "description": "`vehicle_asleep`: the car is asleep or offline and `wake` was false (or it fell asleep "
        "during the read); no data call and no wake were made. The body carries the last known state and its age. "
        "Also `needs_reconnect` and `connection_revoked`, in the usual error shape.",
    },
    410: {"model": ErrorBody, "description": "`device_removed`: Tesla no longer lists the device on this account"},
    429: {
        "model": ErrorBody,
        "description": "`rate_limited`: the device's read or wake budget is spent; retry after `Retry-After` seconds",
        "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
    },
    502: {"model": ErrorBody, "description": "`upstream_error`: Tesla failed; its reason is in the message"},
    504: {
        "model": VehicleAsleepBody,
        "description": "`wake_timeout`: with `wake=true`, the car did not come online in time (one wake was billed)",
    },
}


@router.get(
    "/v1/devices/{device_id}/state",
    name="get_device_state",
    summary="Read a device's state",
    response_model=DeviceStateOut,
    responses=ERRORS,
    description="The normalised state of a vehicle or energy site. Served from the stored state when it is younger "
    "than `max_age` seconds; otherwise read from Tesla, once however many requests ask at the same time. A vehicle "
    "that is asleep or offline is not woken unless `wake=true` (a wake is billed and costs the car battery).",
)
async def device_state(
    device_id: str,
    workspace: WorkspaceDep,
    runtime: RuntimeDep,
    max_age: Annotated[
        float,
        Query(ge=0, le=MAX_AGE_LIMIT, description="Oldest acceptable state, in seconds; 0 reads from Tesla"),
    ] = DEFAULT_MAX_AGE_SECONDS,
    wake: Annotated[bool, Query(description="Wake a sleeping vehicle to read it (a billed wake, and battery)")] = False,
    raw: Annotated[bool, Query(description="Include Tesla's payloads as received")] = False,
) -> JSONResponse:
    answer = await read_state(runtime, workspace.id, device_id, max_age=max_age, wake=wake, include_raw=raw)
    # Rendered here rather than validated against the response model: the data was made by the models already.
    return JSONResponse(render(answer, include_raw=raw))
