"""Vehicles as the Fleet API shows them."""

from __future__ import annotations

from typing import Any

from fleetgate.simulator.vehicles.vehicle import Vehicle


def vehicle_summary(vehicle: Vehicle) -> dict[str, Any]:
    """The object of `GET /vehicles`, `GET /vehicles/{tag}`, `wake_up` and `products`."""
    return {
        "id": vehicle.id,
        "vehicle_id": vehicle.vehicle_id,
        "vin": vehicle.vin,
        "color": vehicle.color,
        "access_type": "OWNER",
        "display_name": vehicle.display_name,
        "option_codes": None,
        "granular_access": {"hide_private": False},
        "tokens": None,
        "state": vehicle.online_state,
        "in_service": False,
        "id_s": str(vehicle.id),
        "calendar_enabled": True,
        "api_version": 84,
        "backseat_token": None,
        "backseat_token_updated_at": None,
        "ble_autopair_enrolled": False,
        "command_signing": vehicle.command_signing,
        "release_notes_supported": True,
    }
