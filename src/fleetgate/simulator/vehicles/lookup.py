from __future__ import annotations

from fleetgate.simulator.envelope import not_found
from fleetgate.simulator.fleet.access import Caller
from fleetgate.simulator.vehicles.vehicle import Vehicle
from fleetgate.simulator.world import World


def find_vehicle(world: World, caller: Caller, vehicle_tag: str) -> Vehicle:
    """The caller's vehicle by VIN or by its `id`; anything else, another account's car included, is 404."""
    account = caller.require_account()
    vehicle = world.vehicles.get(vehicle_tag.upper())
    if vehicle is None and vehicle_tag.isdigit():
        vehicle = next((v for v in world.vehicles.values() if v.id == int(vehicle_tag)), None)
    if vehicle is None or vehicle.account_id != account.id:
        raise not_found()
    vehicle.advance(world.now())
    return vehicle
