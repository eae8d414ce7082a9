"""The app's virtual key on each vehicle: its pairing link, and whether Tesla's `fleet_status` lists it as paired.

A car whose `command_signing` is `required` takes commands only signed with a paired key; `allowed` and `off` cars
also take REST commands, so for them the key is not required.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fleetgate.config import Settings
from fleetgate.infra.models import Device
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import MissingScopes

# Tesla recommends few VINs per call (and reports the data discount only for one); a user has a handful of cars.
VINS_PER_CALL = 50


@dataclass(frozen=True, slots=True)
class VehicleStatus:
    paired: bool
    protocol_required: bool | None
    firmware_version: str | None


PairingStatus = dict[str, VehicleStatus]


def pairing_url(settings: Settings, endpoints: TeslaEndpoints, vin: str) -> str:
    return f"{endpoints.pairing_url}/{settings.domain}?vin={quote(vin)}"


def key_required(device: Device) -> bool:
    return device.command_signing == "required"


def pairing_status_older_than(device: Device, seconds: float, now: datetime) -> bool:
    """Whether what Tesla last said of the app's key on the car is older than `seconds` (or was never said)."""
    checked = device.virtual_key_checked_at
    return checked is None or (now - checked).total_seconds() > seconds


def pairing_offered(device: Device) -> bool:
    """Pairing is worth offering to every car that speaks the protocol and lacks the key, even where not required."""
    return device.command_signing != "off" and device.virtual_key_paired is not True


def parse_fleet_status(answer: dict[str, Any], vins: list[str]) -> PairingStatus:
    # "Paired" is membership in `key_paired_vins`: a VIN may be in neither list, and then it is not paired.
    paired = {vin for vin in answer.get("key_paired_vins") or [] if isinstance(vin, str)}
    info = answer.get("vehicle_info")
    info = info if isinstance(info, dict) else {}
    status: PairingStatus = {}
    for vin in vins:
        details = info.get(vin)
        details = details if isinstance(details, dict) else {}
        required = details.get("vehicle_command_protocol_required")
        firmware = details.get("firmware_version")
        status[vin] = VehicleStatus(
            paired=vin in paired,
            protocol_required=required if isinstance(required, bool) else None,
            firmware_version=firmware if isinstance(firmware, str) and firmware else None,
        )
    return status


async def read_fleet_status(api: FleetApi, vins: list[str]) -> PairingStatus | None:
    """None when the token has no vehicle scope, which `fleet_status` needs."""
    status: PairingStatus = {}
    try:
        for start in range(0, len(vins), VINS_PER_CALL):
            chunk = vins[start : start + VINS_PER_CALL]
            status.update(parse_fleet_status(await api.fleet_status(chunk), chunk))
    except MissingScopes:
        return None
    return status


def apply_vehicle_status(device: Device, vehicle: VehicleStatus) -> None:
    """What `fleet_status` says besides the pairing itself (that goes through `devices.pairing.set_pairing`)."""
    if vehicle.protocol_required:
        device.command_signing = "required"
    elif vehicle.protocol_required is False and device.command_signing in (None, "required"):
        device.command_signing = "allowed"
    if vehicle.firmware_version is not None:
        device.firmware_version = vehicle.firmware_version[:40]
