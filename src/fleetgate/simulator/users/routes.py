"""Fleet API user endpoints and `products`: who the token's user is, where they live, what they own. Not billed.

`users/region` answers on every region's base URL (clients call it to find the right one) and needs no scope:
Tesla's 2023 docs put it under `user_data`, but widely used clients discover the region with tokens that lack it.
"""

from __future__ import annotations

import hashlib
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from fleetgate.simulator.energy.views import energy_product
from fleetgate.simulator.envelope import missing_scopes, ok
from fleetgate.simulator.fleet.access import AnyRegionCallerDep, CallerDep, WorldDep, bill, public_base, region_base_url
from fleetgate.simulator.vehicles.views import vehicle_summary

router = APIRouter(tags=["users"])

VEHICLE_SCOPES = ("vehicle_device_data", "vehicle_location", "vehicle_cmds", "vehicle_charging_cmds")
ENERGY_SCOPES = ("energy_device_data", "energy_cmds")


@router.get("/products")
async def products(request: Request, caller: CallerDep, world: WorldDep) -> JSONResponse:
    bill(request, None)
    account = caller.require_account()
    sees_vehicles = bool(caller.scopes.intersection(VEHICLE_SCOPES))
    sees_energy = bool(caller.scopes.intersection(ENERGY_SCOPES))
    if not sees_vehicles and not sees_energy:
        raise missing_scopes(*VEHICLE_SCOPES, *ENERGY_SCOPES)
    now = world.now()
    items = []
    if sees_vehicles:
        for vehicle in world.vehicles_of(account.id):
            vehicle.advance(now)
            items.append(vehicle_summary(vehicle))
    if sees_energy:
        for site in world.energy_sites_of(account.id):
            site.advance(now)
            items.append(energy_product(site, now))
    return ok(items, count=len(items))


@router.get("/users/me")
async def me(request: Request, caller: CallerDep) -> JSONResponse:
    bill(request, None)
    account = caller.require_account()
    caller.require_any_scope("user_data")
    picture = hashlib.sha256(f"profile:{account.id}".encode()).hexdigest()
    return ok(
        {
            "email": account.email,
            "full_name": account.full_name,
            "profile_image_url": f"{public_base(request)}/static/profile_images/{picture}.jpg",
            "vault_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"vault:{account.id}")),
        }
    )


@router.get("/users/region")
async def region(request: Request, caller: AnyRegionCallerDep) -> JSONResponse:
    bill(request, None)
    account = caller.require_account()
    return ok({"region": account.region, "fleet_api_base_url": region_base_url(request, account.region)})


@router.get("/users/feature_config")
async def feature_config(request: Request, caller: CallerDep) -> JSONResponse:
    bill(request, None)
    caller.require_account()
    caller.require_any_scope("user_data")
    return ok({"signaling": {"enabled": True, "subscribe_connectivity": False, "use_auth_token": False}})


@router.get("/users/orders")
async def orders(request: Request, caller: CallerDep) -> JSONResponse:
    bill(request, None)
    caller.require_account()
    caller.require_any_scope("user_data")
    return ok([], count=0)
