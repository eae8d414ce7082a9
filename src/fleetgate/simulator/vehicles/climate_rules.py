"""Climate commands (scope `vehicle_cmds`). Temperatures are °C; settings outside what the car offers are clamped.

A car refuses what it is not fitted with (`not_supported`, `invalid_seat` for a seat it has no heater in: see
`equipment.py`), heating a seat or the wheel remotely with the climate off (`climate_off`), and Climate Keeper
while it is being driven (`not_in_park`): the reasons the car gives.
"""

from __future__ import annotations

from typing import Any

from fleetgate.simulator.vehicles.outcomes import DONE, CommandOutcome, Rule, refused
from fleetgate.simulator.vehicles.params import invalid, need_bool, need_float, need_int
from fleetgate.simulator.vehicles.vehicle import CLIMATE_KEEPER_MODES, MAX_AVAILABLE_TEMP, MIN_AVAILABLE_TEMP, Vehicle

SEAT_POSITIONS = range(0, 9)
HEAT_LEVELS = range(0, 4)
COP_TEMPERATURES = ("Low", "Medium", "High")
WHEEL_LEVELS = (0, 1, 3)  # off, low, high: Tesla's levels skip 2
WHEEL_HIGH = 3


def _clamp_temp(value: float) -> float:
    return min(max(value, MIN_AVAILABLE_TEMP), MAX_AVAILABLE_TEMP)


def _level(params: dict[str, Any], key: str, allowed: range | tuple[int, ...]) -> int:
    value = need_int(params, key)
    if value not in allowed:
        raise invalid(key)
    return value


def auto_conditioning_start(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.is_climate_on = True
    return DONE


def auto_conditioning_stop(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.is_climate_on = False
    vehicle.climate_keeper_mode = "off"
    vehicle.max_defrost = False
    vehicle.preconditioning_until = None
    return DONE


def set_temps(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    driver = need_float(params, "driver_temp")
    passenger = need_float(params, "passenger_temp")
    vehicle.driver_temp_setting = _clamp_temp(driver)
    vehicle.passenger_temp_setting = _clamp_temp(passenger)
    return DONE


def set_climate_keeper_mode(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    mode = CLIMATE_KEEPER_MODES[_level(params, "climate_keeper_mode", range(len(CLIMATE_KEEPER_MODES)))]
    if mode != "off" and vehicle.drive is not None:
        return refused("not_in_park")
    vehicle.climate_keeper_mode = mode
    # Keep, dog and camp modes are the HVAC staying on; turning the mode off turns the HVAC off with it.
    vehicle.is_climate_on = mode != "off"
    return DONE


def remote_seat_heater_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    # The proxy reads `seat_position`; a widely used library sends `heater`.
    key = "heater" if params.get("seat_position") is None and params.get("heater") is not None else "seat_position"
    position = _level(params, key, SEAT_POSITIONS)
    level = _level(params, "level", HEAT_LEVELS)
    if position not in vehicle.equipment.heated_seats():
        return refused("invalid_seat")
    if level > 0 and not vehicle.is_climate_on:
        return refused("climate_off")
    vehicle.seat_heaters[position] = level
    return DONE


def remote_seat_cooler_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    position = _level(params, "seat_position", (1, 2))
    level = _level(params, "seat_cooler_level", HEAT_LEVELS)
    if not vehicle.equipment.seat_cooling:
        return refused("not_supported")
    vehicle.seat_coolers[position] = level
    return DONE


def remote_auto_seat_climate_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    _level(params, "auto_seat_position", (1, 2))
    need_bool(params, "auto_climate_on")
    return DONE


def remote_steering_wheel_heater_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    on = need_bool(params, "on")
    if not vehicle.equipment.steering_wheel_heater:
        return refused("not_supported")
    if on and not vehicle.is_climate_on:
        return refused("climate_off")
    vehicle.steering_wheel_heater = on
    vehicle.steering_wheel_heat_level = WHEEL_HIGH if on else 0
    return DONE


def remote_steering_wheel_heat_level_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    level = _level(params, "level", WHEEL_LEVELS)
    if not vehicle.equipment.steering_wheel_heat_levels:
        return refused("not_supported")
    vehicle.steering_wheel_heat_level = level
    vehicle.steering_wheel_heater = level > 0
    return DONE


def remote_auto_steering_wheel_heat_climate_request(
    vehicle: Vehicle, params: dict[str, Any], now: float
) -> CommandOutcome:
    need_bool(params, "on")
    if not vehicle.equipment.steering_wheel_heat_levels:
        return refused("not_supported")
    return DONE


def set_cabin_overheat_protection(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    on = need_bool(params, "on")
    fan_only = need_bool(params, "fan_only") if params.get("fan_only") is not None else False
    vehicle.cabin_overheat_protection = ("FanOnly" if fan_only else "On") if on else "Off"
    return DONE


def set_cop_temp(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.cop_activation_temperature = COP_TEMPERATURES[_level(params, "cop_temp", range(3))]
    return DONE


def set_bioweapon_mode(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.bioweapon_mode = need_bool(params, "on")
    if vehicle.bioweapon_mode:
        vehicle.is_climate_on = True
    return DONE


def set_preconditioning_max(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.max_defrost = need_bool(params, "on")
    if vehicle.max_defrost:
        vehicle.is_climate_on = True
    return DONE


CLIMATE_RULES: dict[str, Rule] = {
    "auto_conditioning_start": auto_conditioning_start,
    "auto_conditioning_stop": auto_conditioning_stop,
    "set_temps": set_temps,
    "set_climate_keeper_mode": set_climate_keeper_mode,
    "remote_seat_heater_request": remote_seat_heater_request,
    "remote_seat_cooler_request": remote_seat_cooler_request,
    "remote_auto_seat_climate_request": remote_auto_seat_climate_request,
    "remote_steering_wheel_heater_request": remote_steering_wheel_heater_request,
    "remote_steering_wheel_heat_level_request": remote_steering_wheel_heat_level_request,
    "remote_auto_steering_wheel_heat_climate_request": remote_auto_steering_wheel_heat_climate_request,
    "set_cabin_overheat_protection": set_cabin_overheat_protection,
    "set_cop_temp": set_cop_temp,
    "set_bioweapon_mode": set_bioweapon_mode,
    "set_preconditioning_max": set_preconditioning_max,
}
