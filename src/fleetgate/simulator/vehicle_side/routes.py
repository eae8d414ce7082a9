"""Fleet API endpoints of the Vehicle Command Protocol: `signed_command` and `fleet_status`."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from fleetgate.protocol.messages import encode_routable
from fleetgate.simulator.envelope import PROTOCOL_NOT_SUPPORTED, TeslaHTTPError, ok, vehicle_unavailable
from fleetgate.simulator.fleet.access import CallerDep, WorldDep, bill, enforce_rate_limit
from fleetgate.simulator.vehicle_side.dispatch import handle
from fleetgate.simulator.vehicle_side.fleet_status import fleet_status
from fleetgate.simulator.vehicle_side.forwarding import read_routable_message, scopes_for
from fleetgate.simulator.vehicles.lookup import find_vehicle

router = APIRouter(tags=["vehicle command protocol"])

VEHICLE_SCOPES = ("vehicle_device_data", "vehicle_location", "vehicle_cmds", "vehicle_charging_cmds")


@router.post("/vehicles/fleet_status")
async def post_fleet_status(request: Request, caller: CallerDep, world: WorldDep) -> JSONResponse:
    account = caller.require_account()
    caller.require_any_scope(*VEHICLE_SCOPES)
    bill(request, None)
    try:
        body: Any = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TeslaHTTPError(400, "invalid_request", "the body must be a JSON object") from exc
    vins = body.get("vins") if isinstance(body, dict) else None
    if not isinstance(vins, list) or not vins or not all(isinstance(vin, str) for vin in vins):
        raise TeslaHTTPError(400, "invalid_field", "vins must be a non-empty list of VINs")
    return ok(fleet_status(world, account, caller.client_id, caller.region, vins))


@router.post("/vehicles/{vehicle_tag}/signed_command")
async def signed_command(vehicle_tag: str, request: Request, caller: CallerDep, world: WorldDep) -> JSONResponse:
    # Every answer under 500 is billable, handshakes and refusals included.
    bill(request, "commands")
    vehicle = find_vehicle(world, caller, vehicle_tag)
    bill(request, "commands", vehicle.vin)
    if vehicle.command_signing == "off":
        raise TeslaHTTPError(422, PROTOCOL_NOT_SUPPORTED)
    message = await read_routable_message(request)
    caller.require_any_scope(*scopes_for(message))
    # As on the REST command route: the budget is spent at Tesla's edge, before the car is reached.
    enforce_rate_limit(request, world, caller, vehicle.vin, "commands")
    now = world.now()
    if not vehicle.is_online(now):
        raise vehicle_unavailable()
    vehicle.touch(now)
    reply = handle(world, vehicle, message, client_id=caller.client_id)
    return ok(encode_routable(reply))
