"""What the control API shows of the world: everything, including what Tesla's API would hide."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fleetgate.protocol.keys import public_key_bytes
from fleetgate.simulator.energy.site import EnergySite
from fleetgate.simulator.vehicles.vehicle import Vehicle
from fleetgate.simulator.world import Account, DeveloperApp

ROLE_NAMES = {
    2: "owner",
    3: "driver",
    4: "fleet_manager",
    5: "vehicle_monitor",
    6: "charging_manager",
    8: "guest",
}


def app_view(app: DeveloperApp) -> dict[str, Any]:
    return asdict(app)


def account_view(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "email": account.email,
        "region": account.region,
        "full_name": account.full_name,
    }


def vehicle_view(vehicle: Vehicle) -> dict[str, Any]:
    return {
        "vin": vehicle.vin,
        "id": vehicle.id,
        "vehicle_id": vehicle.vehicle_id,
        "account_id": vehicle.account_id,
        "display_name": vehicle.display_name,
        "model": vehicle.model,
        "equipment": asdict(vehicle.equipment),
        "command_signing": vehicle.command_signing,
        "firmware": vehicle.firmware,
        "state": vehicle.online_state,
        "wake_at": vehicle.wake_at,
        "mobile_access_disabled": vehicle.mobile_access_disabled,
        "battery_level": round(vehicle.battery_level, 2),
        "charge_limit_soc": vehicle.charge_limit_soc,
        "plugged_in": vehicle.plugged_in,
        "charging_state": vehicle.charging_state,
        "charge_amps": vehicle.charge_amps,
        "charge_energy_added": round(vehicle.charge_energy_added, 3),
        "charge_port_door_open": vehicle.charge_port_door_open,
        "scheduled_charging_mode": vehicle.scheduled_charging_mode,
        "scheduled_charging_start_time": vehicle.scheduled_charging_start_time,
        "charge_schedules": [schedule.as_tesla() for schedule in vehicle.charge_schedules],
        "precondition_schedules": [schedule.as_tesla() for schedule in vehicle.precondition_schedules],
        "precondition_lead_seconds": vehicle.precondition_lead_seconds,
        "is_climate_on": vehicle.is_climate_on,
        "inside_temp": vehicle.inside_temp,
        "driver_temp_setting": vehicle.driver_temp_setting,
        "passenger_temp_setting": vehicle.passenger_temp_setting,
        "locked": vehicle.locked,
        "sentry_mode": vehicle.sentry_mode,
        "valet_pin": vehicle.valet_pin,
        "speed_limit_pin": vehicle.speed_limit_pin,
        "front_trunk_open": vehicle.front_trunk_open,
        "rear_trunk_open": vehicle.rear_trunk_open,
        "odometer": vehicle.odometer,
        "latitude": vehicle.latitude,
        "longitude": vehicle.longitude,
        **_settings(vehicle),
        "sleep_after_seconds": vehicle.sleep_after_seconds,
        "wake_delay_seconds": vehicle.wake_delay_seconds,
        "keys": [
            {
                "public_key": key.public_key.hex(),
                "role": ROLE_NAMES.get(key.role, str(key.role)),
                "domain": key.domain,
                "active": key.active,
                "added_at": key.added_at,
            }
            for key in vehicle.keys
        ],
        "domains": {
            str(number): {
                "epoch": state.epoch.hex(),
                "public_key": public_key_bytes(state.private_key).hex(),
                "counter": state.counter,
            }
            for number, state in vehicle.domains.items()
        },
        "executed_commands": [asdict(command) for command in vehicle.executed],
    }


def _settings(vehicle: Vehicle) -> dict[str, Any]:
    """What the climate, body, security and infotainment commands change."""
    return {
        "climate_keeper_mode": vehicle.climate_keeper_mode,
        "seat_heaters": {str(seat): level for seat, level in sorted(vehicle.seat_heaters.items())},
        "steering_wheel_heater": vehicle.steering_wheel_heater,
        "cabin_overheat_protection": vehicle.cabin_overheat_protection,
        "cop_activation_temperature": vehicle.cop_activation_temperature,
        "bioweapon_mode": vehicle.bioweapon_mode,
        "max_defrost": vehicle.max_defrost,
        "windows_vented": vehicle.windows_vented,
        "sun_roof_state": vehicle.sun_roof_state,
        "remote_start_until": vehicle.remote_start_until,
        "valet_mode": vehicle.valet_mode,
        "speed_limit_active": vehicle.speed_limit_active,
        "speed_limit_mph": vehicle.speed_limit_mph,
        "pin_to_drive": vehicle.pin_to_drive,
        "guest_mode": vehicle.guest_mode,
        "media_playing": vehicle.media_playing,
        "audio_volume": vehicle.audio_volume,
        "navigation_destination": vehicle.navigation_destination,
        "software_update_scheduled_at": vehicle.software_update_scheduled_at,
        "scheduled_departure_enabled": vehicle.scheduled_departure_enabled,
        "scheduled_departure_minutes": vehicle.scheduled_departure_minutes,
    }


def drive_view(vehicle: Vehicle) -> dict[str, Any]:
    drive = vehicle.drive
    here = {"latitude": vehicle.latitude, "longitude": vehicle.longitude, "heading": vehicle.heading}
    if drive is None:
        return {"vin": vehicle.vin, "driving": False, "position": here, "odometer": vehicle.odometer}
    return {
        "vin": vehicle.vin,
        "driving": True,
        "position": here,
        "odometer": vehicle.odometer,
        "from": {"latitude": drive.origin.latitude, "longitude": drive.origin.longitude},
        "to": {"latitude": drive.to.latitude, "longitude": drive.to.longitude},
        "distance_km": round(drive.distance_km, 3),
        "driven_km": round(drive.driven_km, 3),
        "speed_kph": drive.speed_kph,
        "wh_per_km": drive.wh_per_km,
        "energy_kwh": round(drive.energy_kwh, 3),
        "started_at": drive.started_at,
        "arrives_at": drive.arrives_at,
    }


def energy_site_view(site: EnergySite) -> dict[str, Any]:
    return asdict(site)
