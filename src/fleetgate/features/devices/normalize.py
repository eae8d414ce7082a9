"""Tesla's payloads → the normalised state of `state_schemas`. Pure functions: no database, no Tesla.

Tesla's answers vary by firmware, model and region, and any field may be missing or of another type: each field is
read on its own, and what is missing or malformed becomes null, never an error. Miles become kilometres (the miles
are kept too); everything else keeps Tesla's units (°C, kW, W, Wh, percent).

Location is personal data behind its own scope: `strip_location` removes it from raw payloads, for connections
without `read_location` (older firmware puts it in `drive_state` even when `location_data` was not asked for).
"""

from __future__ import annotations

import math
from typing import Any

from fleetgate.features.devices.state_schemas import (
    ChargeSchedule,
    ChargingState,
    EnergySiteData,
    GridStatus,
    Location,
    PreconditionSchedule,
    ScheduledCharging,
    SchedulePlace,
    VehicleData,
    Weekday,
)
from fleetgate.tesla.wake import online_state

KM_PER_MILE = 1.609344
MINUTES_PER_DAY = 24 * 60
CHARGING_STATES: dict[str, ChargingState] = {
    "disconnected": "disconnected",
    "stopped": "stopped",
    "charging": "charging",
    "complete": "complete",
    "nopower": "no_power",
    "no_power": "no_power",
    "starting": "starting",
}
# Tesla's `island_status` says more than `grid_status` (it names intentional and unintentional islanding).
ISLAND_STATUSES: dict[str, GridStatus] = {
    "on_grid": "connected",
    "off_grid": "islanded",
    "off_grid_intentional": "islanded",
    "off_grid_unintentional": "islanded",
}
GRID_STATUSES: dict[str, GridStatus] = {"active": "connected", "inactive": "islanded"}
# Fields that place a car, wherever Tesla puts them (`drive_state`, or `location_data` on some answers).
LOCATION_FIELDS = frozenset(
    {
        "latitude",
        "longitude",
        "heading",
        "corrected_latitude",
        "corrected_longitude",
        "native_latitude",
        "native_longitude",
        "native_location_supported",
        "native_type",
        "gps_as_of",
        "active_route_destination",
        "active_route_latitude",
        "active_route_longitude",
        "active_route_energy_at_arrival",
        "active_route_miles_to_arrival",
        "active_route_minutes_to_arrival",
        "active_route_traffic_minutes_delay",
    }
)
LOCATION_SECTIONS = ("location_data", "location_state")


# -- reading one field -------------------------------------------------------------------------------------------


def _section(payload: Any, name: str) -> dict[str, Any]:
    value = payload.get(name) if isinstance(payload, dict) else None
    return value if isinstance(value, dict) else {}


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def measured(value: Any, digits: int) -> float | None:
    """A reading to the precision its source measures (a Powerwall's charge comes as 69.70839829991752 %)."""
    found = number(value)
    return round(found, digits) if found is not None else None


def integer(value: Any) -> int | None:
    found = number(value)
    return round(found) if found is not None else None


def flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _km(miles: float | None) -> float | None:
    return round(miles * KM_PER_MILE, 2) if miles is not None else None


def _enum(value: Any, known: dict[str, Any], default: Any) -> Any:
    """`known` by Tesla's value in lower case; another string is `default` (unknown); a missing one null."""
    word = text(value)
    if word is None:
        return None
    return known.get(word.strip().lower(), default)


# -- vehicles ----------------------------------------------------------------------------------------------------


def _plugged_in(charge: dict[str, Any], charging_state: ChargingState | None) -> bool | None:
    if charging_state is not None and charging_state != "unknown":
        return charging_state != "disconnected"
    cable = text(charge.get("conn_charge_cable"))
    if cable is None:
        return None
    return cable != "<invalid>"


def _minutes_to_full(charge: dict[str, Any]) -> int | None:
    minutes = integer(charge.get("minutes_to_full_charge"))
    if minutes is not None:
        return max(minutes, 0)
    hours = number(charge.get("time_to_full_charge"))
    return max(round(hours * 60), 0) if hours is not None else None


def _scheduled_charging(charge: dict[str, Any]) -> ScheduledCharging | None:
    if not charge:
        return None
    mode = text(charge.get("scheduled_charging_mode"))
    enabled = mode.lower() == "startat" if mode is not None else flag(charge.get("scheduled_charging_pending"))
    start = integer(charge.get("scheduled_charging_start_time_app"))
    if not enabled or start is None or not 0 <= start < MINUTES_PER_DAY:
        start = None
    return ScheduledCharging(enabled=enabled, start_minute=start)


WEEKDAYS: tuple[Weekday, ...] = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


def _days(mask: Any) -> list[Weekday]:
    """Tesla's `days_of_week` bits, Sunday 1 to Saturday 64."""
    bits = integer(mask) or 0
    return [day for index, day in enumerate(WEEKDAYS) if bits & (1 << index)]


def _minute(value: Any) -> int | None:
    minute = integer(value)
    return minute if minute is not None and 0 <= minute < MINUTES_PER_DAY else None


def _place(schedule: dict[str, Any], with_location: bool) -> SchedulePlace | None:
    latitude, longitude = number(schedule.get("latitude")), number(schedule.get("longitude"))
    if not with_location or latitude is None or longitude is None or (latitude, longitude) == (0, 0):
        return None
    return SchedulePlace(latitude=latitude, longitude=longitude)


def _schedules(payload: Any, section: str, key: str) -> list[dict[str, Any]] | None:
    found = _section(payload, section).get(key)
    if not isinstance(found, list):
        return None
    return [schedule for schedule in found if isinstance(schedule, dict) and integer(schedule.get("id")) is not None]


def _charge_schedules(payload: Any, with_location: bool) -> list[ChargeSchedule] | None:
    schedules = _schedules(payload, "charge_schedule_data", "charge_schedules")
    if schedules is None:
        return None
    return [
        ChargeSchedule(
            id=integer(schedule["id"]) or 0,
            name=text(schedule.get("name")),
            days=_days(schedule.get("days_of_week")),
            enabled=bool(flag(schedule.get("enabled"))),
            start_minute=_minute(schedule.get("start_time")) if flag(schedule.get("start_enabled")) else None,
            end_minute=_minute(schedule.get("end_time")) if flag(schedule.get("end_enabled")) else None,
            one_time=bool(flag(schedule.get("one_time"))),
            place=_place(schedule, with_location),
        )
        for schedule in schedules
    ]


def _precondition_schedules(payload: Any, with_location: bool) -> list[PreconditionSchedule] | None:
    schedules = _schedules(payload, "preconditioning_schedule_data", "precondition_schedules")
    if schedules is None:
        return None
    return [
        PreconditionSchedule(
            id=integer(schedule["id"]) or 0,
            name=text(schedule.get("name")),
            days=_days(schedule.get("days_of_week")),
            enabled=bool(flag(schedule.get("enabled"))),
            departure_minute=_minute(schedule.get("precondition_time")) or 0,
            one_time=bool(flag(schedule.get("one_time"))),
            place=_place(schedule, with_location),
        )
        for schedule in schedules
    ]


def _software_version(vehicle_state: dict[str, Any]) -> str | None:
    # `car_version` is "2025.20.6 0fe780c9…": the version, then a build hash.
    version = text(vehicle_state.get("car_version"))
    return version.split()[0][:40] if version is not None else None


def vehicle_location(payload: Any) -> Location | None:
    drive = _section(payload, "drive_state")
    latitude, longitude = number(drive.get("latitude")), number(drive.get("longitude"))
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return Location(latitude=latitude, longitude=longitude, heading_deg=number(drive.get("heading")))


def normalize_vehicle(payload: Any, *, with_location: bool) -> dict[str, Any]:
    """`vehicle_data`'s `response` → `VehicleData` as JSON; `location` only `with_location`, else left out."""
    charge = _section(payload, "charge_state")
    climate = _section(payload, "climate_state")
    vehicle = _section(payload, "vehicle_state")
    charging_state: ChargingState | None = _enum(charge.get("charging_state"), CHARGING_STATES, "unknown")
    range_mi = number(charge.get("battery_range"))
    odometer_mi = number(vehicle.get("odometer"))
    data = VehicleData(
        online_state=online_state(payload),
        battery_level_pct=number(charge.get("battery_level")),
        battery_range_km=_km(range_mi),
        battery_range_mi=range_mi,
        charging_state=charging_state,
        charge_limit_pct=integer(charge.get("charge_limit_soc")),
        charge_power_kw=number(charge.get("charger_power")),
        charge_current_a=number(charge.get("charger_actual_current")),
        charge_voltage_v=number(charge.get("charger_voltage")),
        plugged_in=_plugged_in(charge, charging_state),
        minutes_to_full_charge=_minutes_to_full(charge),
        charge_port_open=flag(charge.get("charge_port_door_open")),
        scheduled_charging=_scheduled_charging(charge),
        charge_schedules=_charge_schedules(payload, with_location),
        precondition_schedules=_precondition_schedules(payload, with_location),
        locked=flag(vehicle.get("locked")),
        sentry_mode=flag(vehicle.get("sentry_mode")),
        climate_on=flag(climate.get("is_climate_on")),
        inside_temp_c=number(climate.get("inside_temp")),
        outside_temp_c=number(climate.get("outside_temp")),
        driver_temp_setting_c=number(climate.get("driver_temp_setting")),
        odometer_km=_km(odometer_mi),
        odometer_mi=odometer_mi,
        software_version=_software_version(vehicle),
        location=vehicle_location(payload) if with_location else None,
    )
    return data.model_dump(mode="json", exclude=None if with_location else {"location"})


def strip_location(payload: Any) -> Any:
    """A copy of a vehicle payload without anything that places the car."""
    if not isinstance(payload, dict):
        return payload
    cleaned: dict[str, Any] = {}
    for key, value in payload.items():
        if key in LOCATION_SECTIONS or key in LOCATION_FIELDS:
            continue
        if isinstance(value, list):
            # Schedules carry the place they apply at.
            cleaned[key] = [strip_location(item) for item in value]
        else:
            cleaned[key] = strip_location(value) if isinstance(value, dict) else value
    return cleaned


SCHEDULE_LISTS = ("charge_schedules", "precondition_schedules")


def without_location(data: dict[str, Any]) -> dict[str, Any]:
    """Normalised vehicle data without its `location`, nor the places of its schedules (for a connection that lost
    `read_location`)."""
    kept = {key: value for key, value in data.items() if key != "location"}
    for key in SCHEDULE_LISTS:
        if isinstance(kept.get(key), list):
            kept[key] = [{**schedule, "place": None} for schedule in kept[key]]
    return kept


# -- energy sites ------------------------------------------------------------------------------------------------


def _grid_status(live: dict[str, Any]) -> GridStatus | None:
    island: GridStatus | None = _enum(live.get("island_status"), ISLAND_STATUSES, None)
    if island is not None:
        return island
    grid: GridStatus | None = _enum(live.get("grid_status"), GRID_STATUSES, "unknown")
    if grid is None and text(live.get("island_status")) is not None:
        return "unknown"
    return grid


def _has_battery(live: dict[str, Any], info: dict[str, Any]) -> bool:
    components = _section(info, "components")
    declared = flag(components.get("battery"))
    if declared is not None:
        return declared
    capable = flag(live.get("backup_capable"))
    return capable is not False


def normalize_energy_site(live_status: Any, site_info: Any) -> dict[str, Any]:
    """`live_status` and `site_info` `response`s → `EnergySiteData` as JSON (either may be missing)."""
    live = live_status if isinstance(live_status, dict) else {}
    info = site_info if isinstance(site_info, dict) else {}
    battery = _has_battery(live, info)
    capacity = number(live.get("total_pack_energy"))
    if not capacity:
        capacity = number(info.get("nameplate_energy")) or capacity
    data = EnergySiteData(
        # Tenths of a percent, whole watts and watt-hours: what a site's meters resolve.
        battery_level_pct=measured(live.get("percentage_charged"), 1) if battery else None,
        battery_energy_wh=measured(live.get("energy_left"), 0) if battery else None,
        battery_capacity_wh=measured(capacity, 0) if battery else None,
        solar_power_w=measured(live.get("solar_power"), 0),
        battery_power_w=measured(live.get("battery_power"), 0),
        grid_power_w=measured(live.get("grid_power"), 0),
        load_power_w=measured(live.get("load_power"), 0),
        grid_status=_grid_status(live),
        backup_reserve_pct=measured(info.get("backup_reserve_percent"), 1),
        operation_mode=text(info.get("default_real_mode")),
        storm_mode_enabled=flag(_section(info, "user_settings").get("storm_mode_enabled")),
        storm_mode_active=flag(live.get("storm_mode_active")),
    )
    return data.model_dump(mode="json")
