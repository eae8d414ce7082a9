"""Fleet API endpoints of Fleet Telemetry: configure cars with a signed config, read and delete it, read errors.

The config arrives as a JWS (Tesla.SS256) signed with the app's key; it is verified against the key the app
registered in this region, so a token signed with any other key is refused before its contents are looked at.
The per-car endpoints answer 404 for a car not on the caller's account, as the other vehicle endpoints do. They
are billed as data requests and count against the car's data rate limit; the partner endpoints, like the other
partner endpoints, are not billed.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from fleetgate.protocol.keys import public_key_from_bytes
from fleetgate.protocol.telemetry.jws import InvalidFleetMessage, verify_fleet_message
from fleetgate.simulator.envelope import TeslaHTTPError, ok
from fleetgate.simulator.fleet.access import Caller, CallerDep, WorldDep, bill, enforce_rate_limit
from fleetgate.simulator.telemetry import configs
from fleetgate.simulator.telemetry.enrollment import enroll
from fleetgate.simulator.telemetry.validation import invalid_config, parse_config
from fleetgate.simulator.telemetry.views import config_view, error_vins_view, errors_view
from fleetgate.simulator.vehicle_side.fleet_status import is_paired
from fleetgate.simulator.vehicles.lookup import find_vehicle
from fleetgate.simulator.world import World

router = APIRouter(tags=["fleet telemetry"])


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TeslaHTTPError(400, "invalid_request", "the request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise TeslaHTTPError(400, "invalid_request", "the request body must be a JSON object")
    return body


def _registered_key(world: World, caller: Caller) -> bytes:
    # fleet_caller has already refused an app not registered in this region (412).
    return world.registrations[(caller.client_id, caller.region)].public_key


@router.post("/vehicles/fleet_telemetry_config_jws")
async def configure(request: Request, caller: CallerDep, world: WorldDep) -> JSONResponse:
    bill(request, "data")
    account = caller.require_account()
    caller.require_any_scope("vehicle_device_data")
    body = await _json_object(request)
    vins, token = body.get("vins"), body.get("token")
    if not isinstance(vins, list) or not vins or not all(isinstance(vin, str) for vin in vins):
        raise TeslaHTTPError(400, "invalid_field", "vins must be a non-empty list of VINs", messages={"vins": []})
    if not isinstance(token, str) or not token:
        raise TeslaHTTPError(400, "invalid_field", "token is required", messages={"token": ["is required"]})
    public_key = _registered_key(world, caller)
    try:
        claims = verify_fleet_message(token, public_key_from_bytes(public_key))
    except InvalidFleetMessage as exc:
        raise invalid_config(f"token: {exc}") from exc
    config = parse_config(claims, world.now())
    if config.wants_location:
        caller.require_any_scope("vehicle_location")
    return ok(enroll(world, account, caller.client_id, public_key, config, claims, vins).view())


@router.get("/vehicles/{vehicle_tag}/fleet_telemetry_config")
async def get_config(request: Request, caller: CallerDep, world: WorldDep, vehicle_tag: str) -> JSONResponse:
    bill(request, "data")
    caller.require_any_scope("vehicle_device_data")
    vehicle = find_vehicle(world, caller, vehicle_tag)
    bill(request, "data", vehicle.vin)
    enforce_rate_limit(request, world, caller, vehicle.vin, "data")
    config = configs.config_of(world, vehicle.vin, caller.client_id)
    other_apps = world.telemetry.others_on_car(vehicle.vin, caller.client_id)
    paired = is_paired(vehicle, _registered_key(world, caller))
    return ok(config_view(config, other_apps=other_apps, key_paired=paired))


@router.delete("/vehicles/{vehicle_tag}/fleet_telemetry_config")
async def delete_config(request: Request, caller: CallerDep, world: WorldDep, vehicle_tag: str) -> JSONResponse:
    bill(request, "data")
    caller.require_any_scope("vehicle_device_data")
    vehicle = find_vehicle(world, caller, vehicle_tag)
    bill(request, "data", vehicle.vin)
    enforce_rate_limit(request, world, caller, vehicle.vin, "data")
    removed = world.telemetry.remove(vehicle.vin, caller.client_id)
    return ok({"updated_vehicles": 1 if removed else 0})


@router.get("/vehicles/{vehicle_tag}/fleet_telemetry_errors")
async def vehicle_errors(request: Request, caller: CallerDep, world: WorldDep, vehicle_tag: str) -> JSONResponse:
    bill(request, "data")
    caller.require_any_scope("vehicle_device_data")
    vehicle = find_vehicle(world, caller, vehicle_tag)
    bill(request, "data", vehicle.vin)
    enforce_rate_limit(request, world, caller, vehicle.vin, "data")
    return ok(errors_view(configs.errors_of(world, caller.client_id, vehicle.vin)))


def _require_partner(request: Request, caller: Caller) -> None:
    bill(request, None)
    if not caller.token.is_partner:
        raise TeslaHTTPError(403, "Expected partner account", "this endpoint needs a partner token")


@router.get("/partner_accounts/fleet_telemetry_errors")
async def partner_errors(request: Request, caller: CallerDep, world: WorldDep) -> JSONResponse:
    _require_partner(request, caller)
    return ok(errors_view(configs.errors_of(world, caller.client_id)))


@router.get("/partner_accounts/fleet_telemetry_error_vins")
async def partner_error_vins(request: Request, caller: CallerDep, world: WorldDep) -> JSONResponse:
    _require_partner(request, caller)
    return ok(error_vins_view(configs.errors_of(world, caller.client_id)))
