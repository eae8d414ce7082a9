"""Charging commands: any of `vehicle_cmds` or `vehicle_charging_cmds` allows them.

Refusal reasons are the car's own (`disconnected`, `is_charging`, `complete`, `not_charging`, `already_set`,
`cable connected`, `already closed`, `not allowed` for the port of a car that is not in park...). A
`set_charge_limit` outside 50-100 is clamped and still answered as a success, as Tesla's documentation notes.
Schedules (`schedules.py`) are stored here and run by the car as time passes (`schedule_runs.py`).
"""

from __future__ import annotations

from typing import Any

from fleetgate.simulator.vehicles import schedule_runs
from fleetgate.simulator.vehicles.outcomes import DONE, CommandOutcome, InvalidParameter, Rule, refused
from fleetgate.simulator.vehicles.params import invalid, need_bool, need_float, need_int
from fleetgate.simulator.vehicles.schedules import (
    MINUTES_PER_DAY,
    ChargeSchedule,
    Place,
    PreconditionSchedule,
    UnknownDay,
    parse_days,
)
from fleetgate.simulator.vehicles.vehicle import (
    CHARGE_LIMIT_MAX,
    CHARGE_LIMIT_MIN,
    CHARGE_LIMIT_STANDARD,
    Vehicle,
)


def charge_start(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if not vehicle.plugged_in:
        return refused("disconnected")
    if vehicle.charging_state == "Charging":
        return refused("is_charging")
    if vehicle.charging_state == "NoPower":
        return refused("no_power")
    if vehicle.room_to_limit_kwh() <= 0:
        return refused("complete")
    vehicle.charging_state = "Charging"  # overrides a pending schedule, as in the car
    return DONE


def charge_stop(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if vehicle.charging_state != "Charging":
        return refused("not_charging")
    vehicle.charging_state = "Stopped"
    return DONE


def _apply_limit(vehicle: Vehicle, percent: int) -> None:
    vehicle.charge_limit_soc = percent
    if vehicle.charging_state == "Charging" and vehicle.room_to_limit_kwh() <= 0:
        vehicle.charging_state = "Complete"
    elif vehicle.charging_state == "Complete" and vehicle.room_to_limit_kwh() > 0:
        # A car that finished at the old limit carries on to the new one.
        vehicle.charging_state = "Charging"


def set_charge_limit(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    requested = need_int(params, "percent")
    percent = min(max(requested, CHARGE_LIMIT_MIN), CHARGE_LIMIT_MAX)
    if percent == requested and percent == vehicle.charge_limit_soc:
        return refused("already_set")
    _apply_limit(vehicle, percent)
    return DONE


def charge_max_range(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if vehicle.charge_limit_soc >= CHARGE_LIMIT_MAX:
        return refused("already_started")
    vehicle.max_range_charge_counter += 1
    _apply_limit(vehicle, CHARGE_LIMIT_MAX)
    return DONE


def charge_standard(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if vehicle.charge_limit_soc <= CHARGE_LIMIT_STANDARD:
        return refused("already_started")
    _apply_limit(vehicle, CHARGE_LIMIT_STANDARD)
    return DONE


def set_charging_amps(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    amps = need_int(params, "charging_amps")
    vehicle.charge_amps = min(max(amps, 1), vehicle.charge_current_request_max)
    return DONE


def charge_port_door_open(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if vehicle.drive is not None:
        return refused("not allowed")
    vehicle.charge_port_door_open = True
    return DONE


def charge_port_door_close(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if vehicle.plugged_in:
        return refused("cable connected")
    if not vehicle.charge_port_door_open:
        return refused("already closed")
    vehicle.charge_port_door_open = False
    return DONE


def _minute_of_day(params: dict[str, Any], key: str) -> int:
    minute = need_int(params, key)
    if not 0 <= minute < MINUTES_PER_DAY:
        raise invalid(key)
    return minute


def set_scheduled_charging(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if not need_bool(params, "enable"):
        vehicle.scheduled_charging_mode = "Off"
        return DONE
    vehicle.scheduled_charging_start_time = _minute_of_day(params, "time")
    vehicle.scheduled_charging_mode = "StartAt"
    if vehicle.charging_state == "Charging":
        vehicle.charging_state = "Stopped"  # it now waits for the scheduled minute
    return DONE


def set_scheduled_departure(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    enable = need_bool(params, "enable")
    departure = _minute_of_day(params, "departure_time") if enable else vehicle.scheduled_departure_minutes
    preconditioning = _optional_bool(params, "preconditioning_enabled", vehicle.preconditioning_enabled)
    preconditioning_weekdays = _optional_bool(
        params, "preconditioning_weekdays_only", vehicle.preconditioning_weekdays_only
    )
    off_peak = _optional_bool(params, "off_peak_charging_enabled", vehicle.off_peak_charging_enabled)
    off_peak_weekdays = _optional_bool(
        params, "off_peak_charging_weekdays_only", vehicle.off_peak_charging_weekdays_only
    )
    off_peak_end = (
        _minute_of_day(params, "end_off_peak_time")
        if params.get("end_off_peak_time") is not None
        else vehicle.off_peak_hours_end_time
    )
    vehicle.scheduled_departure_enabled = enable
    vehicle.scheduled_departure_minutes = departure
    # As Tesla's proxy reads them: "weekdays only" is a policy of its own, on even without "enabled".
    vehicle.preconditioning_enabled = preconditioning or preconditioning_weekdays
    vehicle.preconditioning_weekdays_only = preconditioning_weekdays
    vehicle.off_peak_charging_enabled = off_peak or off_peak_weekdays
    vehicle.off_peak_charging_weekdays_only = off_peak_weekdays
    vehicle.off_peak_hours_end_time = off_peak_end
    return DONE


def _optional_bool(params: dict[str, Any], key: str, default: bool) -> bool:
    return need_bool(params, key) if params.get(key) is not None else default


def _days(params: dict[str, Any]) -> int:
    if params.get("days_of_week") is None:
        raise InvalidParameter("missing days_of_week param")
    if not isinstance(params["days_of_week"], str):  # names only, as the proxy takes them: not the bitmask
        raise invalid("days_of_week")
    try:
        return parse_days(params["days_of_week"])
    except UnknownDay as exc:
        # Tesla's proxy words it so, for a name it does not know ("Tue" included).
        raise InvalidParameter(f"unrecognized day name: {exc}") from None


def _place(params: dict[str, Any]) -> Place:
    return Place(need_float(params, "lat"), need_float(params, "lon"))


def _schedule_id(schedules: list[ChargeSchedule] | list[PreconditionSchedule], params: dict[str, Any]) -> int:
    """An `id` that exists modifies that schedule; without one (or with 0) the schedule is a new one."""
    if params.get("id") is not None and need_int(params, "id") != 0:
        return need_int(params, "id")
    return max((s.id for s in schedules), default=0) + 1


def _optional_minute(params: dict[str, Any], key: str) -> int:
    return _minute_of_day(params, key) if params.get(key) is not None else 0


def add_charge_schedule(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    schedule = ChargeSchedule(
        id=_schedule_id(vehicle.charge_schedules, params),
        name=str(params.get("name") or ""),
        days_of_week=_days(params),
        enabled=need_bool(params, "enabled"),
        start_enabled=need_bool(params, "start_enabled"),
        start_time=_optional_minute(params, "start_time"),
        end_enabled=need_bool(params, "end_enabled"),
        end_time=_optional_minute(params, "end_time"),
        one_time=_optional_bool(params, "one_time", False),
        place=_place(params),
    )
    kept = [s for s in vehicle.charge_schedules if s.id != schedule.id]
    vehicle.charge_schedules = sorted([*kept, schedule], key=lambda s: s.id)
    schedule_runs.charge_if_in_window(vehicle, now)
    return DONE


def add_precondition_schedule(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    schedule = PreconditionSchedule(
        id=_schedule_id(vehicle.precondition_schedules, params),
        name=str(params.get("name") or ""),
        days_of_week=_days(params),
        enabled=need_bool(params, "enabled"),
        precondition_time=_minute_of_day(params, "precondition_time"),
        one_time=_optional_bool(params, "one_time", False),
        place=_place(params),
    )
    kept = [s for s in vehicle.precondition_schedules if s.id != schedule.id]
    vehicle.precondition_schedules = sorted([*kept, schedule], key=lambda s: s.id)
    return DONE


def remove_charge_schedule(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    wanted = need_int(params, "id")
    vehicle.charge_schedules = [s for s in vehicle.charge_schedules if s.id != wanted]
    return DONE


def remove_precondition_schedule(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    wanted = need_int(params, "id")
    vehicle.precondition_schedules = [s for s in vehicle.precondition_schedules if s.id != wanted]
    return DONE


CHARGING_RULES: dict[str, Rule] = {
    "charge_start": charge_start,
    "charge_stop": charge_stop,
    "set_charge_limit": set_charge_limit,
    "charge_max_range": charge_max_range,
    "charge_standard": charge_standard,
    "set_charging_amps": set_charging_amps,
    "charge_port_door_open": charge_port_door_open,
    "charge_port_door_close": charge_port_door_close,
    "set_scheduled_charging": set_scheduled_charging,
    "set_scheduled_departure": set_scheduled_departure,
    "add_charge_schedule": add_charge_schedule,
    "remove_charge_schedule": remove_charge_schedule,
    "add_precondition_schedule": add_precondition_schedule,
    "remove_precondition_schedule": remove_precondition_schedule,
}
