"""Fleet API vehicle endpoints: list, get, vehicle_data, wake_up and REST commands."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from fleetgate.simulator.envelope import ok
from fleetgate.simulator.fleet.access import CallerDep, WorldDep
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
