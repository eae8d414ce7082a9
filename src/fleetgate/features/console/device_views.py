"""A device as the console shows it: capabilities in words, the pairing link's QR code, the last state read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import CAPABILITIES, VEHICLE
from fleetgate.features.connect.qr import qr_svg
from fleetgate.features.console.formatting import value
from fleetgate.features.devices.schemas import CapabilityOut
from fleetgate.features.devices.state_schemas import EnergySiteData, VehicleData
from fleetgate.features.devices.state_service import visible
from fleetgate.infra.models import DeviceState
from fleetgate.infra.models.device_state import Reading
from fleetgate.tesla.wake import online_state

CAPABILITY_TITLES = {capability.name: capability.title for capability in CAPABILITIES}
# Shorter than the API schema's descriptions, which are written for the reference documentation.
LABELS = {
    "online_state": "Connectivity",
    "battery_level_pct": "Battery level (%)",
    "battery_range_km": "Range (km)",
    "battery_range_mi": "Range (mi)",
    "charging_state": "Charging",
    "charge_limit_pct": "Charge limit (%)",
    "charge_power_kw": "Charging power (kW)",
    "charge_current_a": "Charging current (A)",
    "charge_voltage_v": "Charger voltage (V)",
    "plugged_in": "Plugged in",
    "minutes_to_full_charge": "Minutes to the charge limit",
    "charge_port_open": "Charge port open",
    "scheduled_charging": "Scheduled charging",
    "locked": "Locked",
    "sentry_mode": "Sentry Mode",
    "climate_on": "Climate on",
    "inside_temp_c": "Inside (°C)",
    "outside_temp_c": "Outside (°C)",
    "driver_temp_setting_c": "Driver's setting (°C)",
    "odometer_km": "Odometer (km)",
    "odometer_mi": "Odometer (mi)",
    "software_version": "Software version",
    "location": "Location",
    "battery_energy_wh": "Stored energy (Wh)",
    "battery_capacity_wh": "Usable capacity (Wh)",
    "solar_power_w": "Solar (W)",
    "battery_power_w": "Powerwall (W, + discharging)",
    "grid_power_w": "Grid (W, + importing)",
    "load_power_w": "Home (W)",
    "grid_status": "Grid",
    "backup_reserve_pct": "Backup reserve (%)",
    "operation_mode": "Operation mode",
    "storm_mode_enabled": "Storm Watch enabled",
    "storm_mode_active": "Storm Watch active",
}
REASONS = {
    "missing_scope": "The user did not grant the access it needs.",
    "virtual_key_not_paired": "The app's virtual key is not on the car.",
    "connection_needs_reconnect": "The connection needs a reconnect.",
    "connection_revoked": "The connection was deleted.",
    "device_removed": "The device is no longer on the Tesla account.",
    "unsupported_firmware": "Tesla said the car's software is too old for it.",
}


@dataclass(frozen=True, slots=True)
class CapabilityRow:
    name: str
    title: str
    available: bool
    reason: str | None
    explanation: str | None
    remedy: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class StateField:
    name: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class StateView:
    fetched_at: datetime
    online_state: str | None
    fields: list[StateField]
    streamed: bool  # its newest values came from the car's Fleet Telemetry stream, not a read from Tesla


@dataclass(frozen=True, slots=True)
class Pairing:
    url: str
    qr: Markup


def capability_rows(capabilities: dict[str, CapabilityOut]) -> list[CapabilityRow]:
    return [
        CapabilityRow(
            name,
            CAPABILITY_TITLES.get(name, name),
            found.available,
            found.reason,
            REASONS.get(found.reason or "", found.reason),
            found.remedy,
        )
        for name, found in capabilities.items()
    ]


def pairing(url: str, name: str) -> Pairing:
    return Pairing(url, qr_svg(url, label=f"QR code of the pairing link for {name}"))


def shown(name: str, item: Any) -> str:
    if name == "location" and isinstance(item, dict):
        heading = item.get("heading_deg")
        where = f"{item.get('latitude')}, {item.get('longitude')}"
        return f"{where}, heading {heading:g}°" if isinstance(heading, int | float) else where
    if name == "scheduled_charging" and isinstance(item, dict):
        start = item.get("start_minute")
        if not item.get("enabled") or not isinstance(start, int):
            return "off" if item.get("enabled") is False else value(item.get("enabled"))
        return f"on, starts at {start // 60:02d}:{start % 60:02d} (car's local time)"
    return value(item)


async def last_state(session: AsyncSession, device_id: str, device_type: str, location: bool) -> StateView | None:
    """The state stored by the last read (`GET /v1/devices/{id}/state`), as the API would show it now."""
    row = await session.get(DeviceState, device_id)
    if row is None:
        return None
    online = online_state({"state": row.online_state})
    reading = visible(Reading(row.fetched_at, online, row.data, None, row.has_location), location)
    model: type[BaseModel] = VehicleData if device_type == VEHICLE else EnergySiteData
    fields = [
        StateField(name, LABELS.get(name) or info.description or name, shown(name, reading.data.get(name)))
        for name, info in model.model_fields.items()
        if name in reading.data or name != "location"
    ]
    return StateView(reading.fetched_at, reading.online_state, fields, row.streamed)
