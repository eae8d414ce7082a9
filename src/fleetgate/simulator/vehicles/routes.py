"""Fleet API vehicle endpoints: list, get, vehicle_data, wake_up and REST commands.

Order of refusals after the caller's token, region and registration: the request itself (unknown command or
endpoint, 400), scopes (403, `vehicle_location` only when location is asked for), a command body that is not a
JSON object (400), the vehicle (404, also for another account's car), command signing (403), the per-vehicle rate
limit (429), mobile access (401), then whether the car can be reached (408). Everything from the vehicle lookup on
is billed to the vehicle; every status under 500 is billable, as at Tesla.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from fleetgate.simulator.envelope import PROTOCOL_REQUIRED, TeslaHTTPError, ok, vehicle_unavailable
from fleetgate.simulator.fleet.access import CallerDep, WorldDep, bill, enforce_rate_limit
from fleetgate.simulator.vehicles.commands import (
    COMMAND_NAMES,
    REST_ON_SIGNING_CARS,
    SIGNED_ONLY,
    InvalidParameter,
    execute,
    required_scopes,
)
from fleetgate.simulator.vehicles.lookup import find_vehicle
from fleetgate.simulator.vehicles.vehicle import Vehicle
from fleetgate.simulator.vehicles.vehicle_data import UnknownEndpoint, parse_endpoints, vehicle_data, wants_location
from fleetgate.simulator.vehicles.views import vehicle_summary

router = APIRouter(tags=["vehicles"])


@router.get("/vehicles")
async def list_vehicles(
    request: Request,
    caller: CallerDep,
    world: WorldDep,
    page: int = Query(1, ge=1),
    per_page: int = Query(100, ge=1, le=100),
) -> JSONResponse:
    account = caller.require_account()
    caller.require_any_scope("vehicle_device_data")
    now = world.now()
    vehicles = world.vehicles_of(account.id)
    for vehicle in vehicles:
        vehicle.advance(now)
    chunk = vehicles[(page - 1) * per_page : page * per_page]
    return ok(
        [vehicle_summary(v) for v in chunk],
        pagination={
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page * per_page < len(vehicles) else None,
            "current": page,
            "per_page": per_page,
            "count": len(vehicles),
            "pages": max(1, -(-len(vehicles) // per_page)),
        },
        count=len(vehicles),
    )


def _require_mobile_access(vehicle: Vehicle) -> None:
    if vehicle.mobile_access_disabled:
        raise TeslaHTTPError(401, "mobile_access_disabled", "the owner has turned off mobile access in the car")


@router.get("/vehicles/{vehicle_tag}")
async def get_vehicle(request: Request, caller: CallerDep, world: WorldDep, vehicle_tag: str) -> JSONResponse:
    # The cheap state check clients make before paid calls: neither billed nor rate-limited, never wakes the car.
    bill(request, None)
    caller.require_any_scope("vehicle_device_data")
    return ok(vehicle_summary(find_vehicle(world, caller, vehicle_tag)))


@router.get("/vehicles/{vehicle_tag}/vehicle_data")
async def get_vehicle_data(
    request: Request, caller: CallerDep, world: WorldDep, vehicle_tag: str, endpoints: str | None = None
) -> JSONResponse:
    bill(request, "data")
    caller.require_any_scope("vehicle_device_data")
    try:
        wanted = parse_endpoints(endpoints)
    except UnknownEndpoint as exc:
        raise TeslaHTTPError(400, "invalid_field", f"invalid endpoints: {exc}") from exc
    if wants_location(wanted):
        caller.require_any_scope("vehicle_location")
    vehicle = find_vehicle(world, caller, vehicle_tag)
    bill(request, "data", vehicle.vin)
    enforce_rate_limit(request, world, caller, vehicle.vin, "data")
    _require_mobile_access(vehicle)
    now = world.now()
    if not vehicle.is_online(now):
        raise vehicle_unavailable()
    vehicle.touch(now)  # a car that is being polled stays awake
    return ok(vehicle_data(vehicle, now, wanted, caller.region))


@router.post("/vehicles/{vehicle_tag}/wake_up")
async def wake_up(request: Request, caller: CallerDep, world: WorldDep, vehicle_tag: str) -> JSONResponse:
    bill(request, "wakes")
    caller.require_any_scope("vehicle_device_data")
    vehicle = find_vehicle(world, caller, vehicle_tag)
    bill(request, "wakes", vehicle.vin)
    enforce_rate_limit(request, world, caller, vehicle.vin, "wakes")
    now = world.now()
    # A sleeping car answers `asleep` and comes online `wake_delay_seconds` later; an offline one cannot be reached.
    vehicle.request_wake(now)
    if vehicle.online_state == "online":
        vehicle.touch(now)
    return ok(vehicle_summary(vehicle))


async def _command_params(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        params = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        params = None
    if not isinstance(params, dict):
        raise TeslaHTTPError(400, "invalid_request", "the request body must be a JSON object")
    return params


@router.post("/vehicles/{vehicle_tag}/command/{name}")
async def command(request: Request, caller: CallerDep, world: WorldDep, vehicle_tag: str, name: str) -> JSONResponse:
    bill(request, "commands")
    if name not in COMMAND_NAMES or name in SIGNED_ONLY:
        raise TeslaHTTPError(400, "invalid_command")
    caller.require_any_scope(*required_scopes(name))
    params = await _command_params(request)
    vehicle = find_vehicle(world, caller, vehicle_tag)
    bill(request, "commands", vehicle.vin)
    if vehicle.command_signing == "required" and name not in REST_ON_SIGNING_CARS:
        raise TeslaHTTPError(403, PROTOCOL_REQUIRED)
    enforce_rate_limit(request, world, caller, vehicle.vin, "commands")
    _require_mobile_access(vehicle)
    if not vehicle.is_online(world.now()):
        raise vehicle_unavailable()
    try:
        outcome = execute(world, vehicle, name, params, via="rest", client_id=caller.client_id)
    except InvalidParameter as exc:
        # As Tesla's proxy answers a parameter it cannot use: 400, in the shape of a refused command.
        return ok({"result": False, "reason": exc.reason}, status=400)
    response: dict[str, Any] = {"result": outcome.result, "reason": outcome.reason}
    if name == "navigation_request" and outcome.result:
        response["queued"] = True
    return ok(response)
