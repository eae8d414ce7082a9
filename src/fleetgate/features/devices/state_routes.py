"""`GET /v1/devices/{id}/state`: the normalised state of a vehicle or an energy site, from cache or from Tesla."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from fleetgate.features.connections.fleet import upstream_errors
from fleetgate.features.devices.state_schemas import DeviceStateOut, ErrorBody, VehicleAsleepBody
from fleetgate.features.devices.state_service import (
    DEFAULT_MAX_AGE_SECONDS,
    Answer,
    StateReads,
    cached_state,
    connection_of,
    iso,
    live_state,
    readable_target,
)
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep

# Included by `devices.routes`, under its /v1/devices prefix.
router = APIRouter()
READS = "fleetgate_state_reads"
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


def install_state_reads(app: FastAPI, reads: StateReads | None = None) -> StateReads:
    """The app's single-flight registry and wake policy (made on first use otherwise)."""
    found = reads or StateReads()
    setattr(app.state, READS, found)
    return found


async def state_reads(request: Request) -> StateReads:
    # async: FastAPI runs a plain function dependency in a worker thread, a needless hop on every read.
    found: StateReads | None = getattr(request.app.state, READS, None)
    return found if found is not None else install_state_reads(request.app)


StateReadsDep = Annotated[StateReads, Depends(state_reads)]


@router.get(
    "/{device_id}/state",
    response_model=DeviceStateOut,
    responses=ERRORS,
    summary="Device state",
    description="The normalised state of a vehicle or energy site. Served from the stored state when it is younger "
    "than `max_age` seconds; otherwise read from Tesla, once however many requests ask at the same time. A vehicle "
    "that is asleep or offline is not woken unless `wake=true` (a wake is billed and costs the car battery).",
)
async def device_state(
    device_id: str,
    workspace: WorkspaceDep,
    session: SessionDep,
    runtime: RuntimeDep,
    reads: StateReadsDep,
    max_age: Annotated[
        float,
        Query(ge=0, le=MAX_AGE_LIMIT, description="Oldest acceptable state, in seconds; 0 reads from Tesla"),
    ] = DEFAULT_MAX_AGE_SECONDS,
    wake: Annotated[bool, Query(description="Wake a sleeping vehicle to read it (a billed wake, and battery)")] = False,
    raw: Annotated[bool, Query(description="Include Tesla's payloads as received")] = False,
) -> JSONResponse:
    target = await readable_target(session, runtime, workspace.id, device_id)
    answer = await cached_state(session, reads, target, max_age=max_age, include_raw=raw)
    if answer is None:
        connection = await connection_of(session, target)
        async with upstream_errors(runtime, session, connection):
            answer = await live_state(session, runtime, reads, target, connection, wake=wake)
    # Rendered here rather than validated against the response model: the data was made by the models already.
    return JSONResponse(render(answer, include_raw=raw))


def render(answer: Answer, *, include_raw: bool) -> dict[str, Any]:
    reading = answer.reading
    body: dict[str, Any] = {
        "device_id": answer.target.device_id,
        "type": answer.target.type,
        "fetched_at": iso(reading.fetched_at),
        "age_seconds": round(answer.age_seconds, 3),
        "source": answer.source,
        "online_state": reading.online_state,
        "data": reading.data,
    }
    if include_raw:
        body["raw"] = reading.raw
    return body
