"""`fleet_status`: whether this app's virtual key is on each car, and what the car can do.

"Paired" means the public key the app registered in this region is on the car's whitelist and active. VINs
that are not on the caller's account appear in neither list, as Tesla does not confirm others' cars exist.
"""

from __future__ import annotations

from typing import Any

from fleetgate.simulator.vehicles.vehicle import Vehicle
from fleetgate.simulator.world import Account, World

FLEET_TELEMETRY_VERSION = "1.0.0"


def is_paired(vehicle: Vehicle, public_key: bytes | None) -> bool:
    if public_key is None:
        return False
    entry = vehicle.key_entry(public_key)
    return entry is not None and entry.active


def vehicle_info(vehicle: Vehicle, *, single: bool) -> dict[str, Any]:
    info: dict[str, Any] = {
        "firmware_version": vehicle.firmware,
        "vehicle_command_protocol_required": vehicle.command_signing == "required",
        "fleet_telemetry_version": FLEET_TELEMETRY_VERSION,
        "total_number_of_keys": len(vehicle.keys),
    }
    # Tesla reports the data discount only when asked about exactly one vehicle.
    if single:
        info["discounted_device_data"] = False
    info["safety_screen_streaming_toggle_enabled"] = None
    return info


def fleet_status(world: World, account: Account, client_id: str, region: str, vins: list[str]) -> dict[str, Any]:
    registration = world.registrations.get((client_id, region))
    public_key = registration.public_key if registration else None
    own = {vehicle.vin: vehicle for vehicle in world.vehicles_of(account.id)}
    paired: list[str] = []
    unpaired: list[str] = []
    info: dict[str, Any] = {}
    for vin in dict.fromkeys(vins):
        vehicle = own.get(vin)
        if vehicle is None:
            continue
        (paired if is_paired(vehicle, public_key) else unpaired).append(vin)
        info[vin] = vehicle_info(vehicle, single=len(vins) == 1)
    return {"key_paired_vins": paired, "unpaired_vins": unpaired, "vehicle_info": info}
