"""Locks, closures, security and driving-related commands (scope `vehicle_cmds`).

A car being driven refuses what needs it in park, with the reason the car gives for each command (`not_parked` for
the trunks and Sentry Mode, `ingear` for the horn and lights, `not_in_park` for windows, valet and speed limit
mode). The first PIN given to speed limit mode or valet mode becomes the car's; a different one is then refused
(`incorrect_pin`, `invalid_password`) until it is cleared. Turning valet mode off over the API takes no PIN.
"""

from __future__ import annotations

from typing import Any

from fleetgate.simulator.vehicles.outcomes import DONE, CommandOutcome, Rule, refused
from fleetgate.simulator.vehicles.params import need_bool, need_choice, need_float, need_pin, optional_float
from fleetgate.simulator.vehicles.vehicle import REMOTE_START_WINDOW_SECONDS, Vehicle

SPEED_LIMIT_MPH = (50.0, 120.0)


def _driving(vehicle: Vehicle) -> bool:
    return vehicle.drive is not None


def door_lock(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.locked = True
    return DONE


def door_unlock(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.locked = False
    return DONE


def actuate_trunk(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    which = need_choice(params, "which_trunk", ("front", "rear"))
    if _driving(vehicle):
        return refused("not_parked")
    if which == "front":
        # Releasing the frunk latch is one-way: an open frunk is closed by hand, so this does nothing more.
        vehicle.front_trunk_open = True
    else:
        vehicle.rear_trunk_open = not vehicle.rear_trunk_open  # the powered liftgate moves either way
    return DONE


def honk_horn(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    return refused("ingear") if _driving(vehicle) else DONE


def flash_lights(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    return refused("ingear") if _driving(vehicle) else DONE


def set_sentry_mode(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    on = need_bool(params, "on")
    if on and _driving(vehicle):
        return refused("not_parked")
    if on and vehicle.valet_mode:
        return refused("valet_mode")
    vehicle.sentry_mode = on
    return DONE


def remote_start_drive(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.remote_start_until = now + REMOTE_START_WINDOW_SECONDS
    return DONE


def window_control(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    command = need_choice(params, "command", ("vent", "close"))
    optional_float(params, "lat")
    optional_float(params, "lon")
    if _driving(vehicle):
        return refused("not_in_park")
    vehicle.windows_vented = command == "vent"
    return DONE


def sun_roof_control(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    state = need_choice(params, "state", ("stop", "close", "vent"))
    if not vehicle.equipment.sunroof:
        return refused("not_supported")
    if state != "stop":
        vehicle.sun_roof_state = "vent" if state == "vent" else "closed"
    return DONE


def trigger_homelink(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    need_float(params, "lat")
    need_float(params, "lon")
    return refused("not_supported")  # the simulated cars have no HomeLink module


def set_valet_mode(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    on = need_bool(params, "on")
    given = params.get("password")
    password = need_pin(params, "password") if given not in (None, "") else None  # signed payloads carry ""
    if not on:
        vehicle.valet_mode = False
        return DONE
    if _driving(vehicle):
        return refused("not_in_park")
    if password is not None and vehicle.valet_pin not in (None, password):
        return refused("invalid_password")
    vehicle.valet_pin = password or vehicle.valet_pin
    vehicle.valet_mode = True
    return DONE


def reset_valet_pin(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if vehicle.valet_mode:
        return refused("valet_mode_on")
    vehicle.valet_pin = None
    return DONE


def _speed_limit_pin(vehicle: Vehicle, params: dict[str, Any]) -> CommandOutcome | None:
    """The refusal for a PIN other than the car's; None when the car has no PIN yet or this is it."""
    pin = need_pin(params, "pin")
    if vehicle.speed_limit_pin not in (None, pin):
        return refused("incorrect_pin")
    return None


def speed_limit_activate(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    pin = need_pin(params, "pin")
    if _driving(vehicle):
        return refused("not_in_park")
    wrong = _speed_limit_pin(vehicle, params)
    if wrong is not None:
        return wrong
    vehicle.speed_limit_pin = pin
    vehicle.speed_limit_active = True
    return DONE


def speed_limit_deactivate(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    need_pin(params, "pin")
    if _driving(vehicle):
        return refused("not_in_park")
    wrong = _speed_limit_pin(vehicle, params)
    if wrong is not None:
        return wrong
    vehicle.speed_limit_active = False
    return DONE


def speed_limit_set_limit(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    low, high = SPEED_LIMIT_MPH
    limit = need_float(params, "limit_mph")
    if _driving(vehicle):
        return refused("not_in_park")
    if vehicle.speed_limit_active:
        return refused("speed_limit_mode_active")
    if not low <= limit <= high:
        return refused("invalid_limit")
    vehicle.speed_limit_mph = limit
    return DONE


def speed_limit_clear_pin(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    need_pin(params, "pin")
    if vehicle.speed_limit_active:
        return refused("speed_limit_mode_active")
    wrong = _speed_limit_pin(vehicle, params)
    if wrong is not None:
        return wrong
    vehicle.speed_limit_pin = None
    return DONE


def set_pin_to_drive(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    on = need_bool(params, "on")
    if params.get("password") not in (None, ""):  # the signed payload carries "" when no PIN is given
        need_pin(params, "password")
    vehicle.pin_to_drive = on
    return DONE


def guest_mode(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.guest_mode = need_bool(params, "enable")
    return DONE


def clears_pin_to_drive(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.pin_to_drive = False
    return DONE


def clears_speed_limit(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.speed_limit_active = False
    vehicle.speed_limit_pin = None
    return DONE


def accepted(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    return DONE


BODY_RULES: dict[str, Rule] = {
    "door_lock": door_lock,
    "door_unlock": door_unlock,
    "actuate_trunk": actuate_trunk,
    "honk_horn": honk_horn,
    "flash_lights": flash_lights,
    "set_sentry_mode": set_sentry_mode,
    "remote_start_drive": remote_start_drive,
    "window_control": window_control,
    "sun_roof_control": sun_roof_control,
    "trigger_homelink": trigger_homelink,
    "set_valet_mode": set_valet_mode,
    "reset_valet_pin": reset_valet_pin,
    "speed_limit_activate": speed_limit_activate,
    "speed_limit_deactivate": speed_limit_deactivate,
    "speed_limit_set_limit": speed_limit_set_limit,
    "speed_limit_clear_pin": speed_limit_clear_pin,
    "speed_limit_clear_pin_admin": clears_speed_limit,
    "set_pin_to_drive": set_pin_to_drive,
    "reset_pin_to_drive_pin": clears_pin_to_drive,
    "clear_pin_to_drive_admin": clears_pin_to_drive,
    "guest_mode": guest_mode,
    "erase_user_data": accepted,
}
