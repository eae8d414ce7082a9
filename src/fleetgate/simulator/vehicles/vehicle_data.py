"""`vehicle_data` as Tesla shapes it: the vehicle object plus one object per requested section.

Units as Tesla gives them whatever the car's display settings: miles, °C, kW, epoch milliseconds in `timestamp`.
Location (latitude, longitude, heading...) appears in `drive_state` only when `location_data` is requested, as on
firmware 2023.38 and later; closures (doors, windows, trunks, locks) live in `vehicle_state`, so `closures_state`
alone gives a `vehicle_state` with just those. Schedules show as the car reports them (days as Tesla's bitmask,
Sunday 1 to Saturday 64); what the car is fitted with (`equipment.py`) shows in `vehicle_config`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fleetgate.simulator.vehicles.driving import KM_PER_MILE
from fleetgate.simulator.vehicles.schedule_runs import charge_schedules_here, next_departure_to_prepare
from fleetgate.simulator.vehicles.schedules import MAX_SCHEDULES, next_charge_end, next_charge_start
from fleetgate.simulator.vehicles.vehicle import (
    CHARGE_LIMIT_MAX,
    CHARGE_LIMIT_MIN,
    CHARGE_LIMIT_STANDARD,
    MAX_AVAILABLE_TEMP,
    MIN_AVAILABLE_TEMP,
    Vehicle,
)
from fleetgate.simulator.vehicles.views import vehicle_summary

ENDPOINTS = frozenset(
    {
        "charge_state",
        "climate_state",
        "closures_state",
        "drive_state",
        "gui_settings",
        "location_data",
        "charge_schedule_data",
        "preconditioning_schedule_data",
        "vehicle_config",
        "vehicle_state",
        "vehicle_data_combo",
    }
)
# What a call without `endpoints` (or with `vehicle_data_combo`) returns.
COMBO = frozenset({"charge_state", "climate_state", "drive_state", "gui_settings", "vehicle_config", "vehicle_state"})
CAR_TYPES = {
    "Model 3": "model3",
    "Model Y": "modely",
    "Model S": "models",
    "Model X": "modelx",
    "Cybertruck": "cybertruck",
}
SUN_ROOF_VENT_PERCENT = 15
SEAT_FIELDS = {
    "seat_heater_left": 0,
    "seat_heater_right": 1,
    "seat_heater_rear_left": 2,
    "seat_heater_rear_center": 4,
    "seat_heater_rear_right": 5,
}


class UnknownEndpoint(ValueError):
    pass


def parse_endpoints(raw: str | None) -> frozenset[str]:
    """The requested endpoint names (`a;b;c`); an empty or absent value means the combo."""
    names = frozenset(name.strip() for name in (raw or "").split(";") if name.strip())
    unknown = sorted(names - ENDPOINTS)
    if unknown:
        raise UnknownEndpoint(", ".join(unknown))
    if not names or "vehicle_data_combo" in names:
        names = names | COMBO
    return names - {"vehicle_data_combo"}


def wants_location(endpoints: frozenset[str]) -> bool:
    return "location_data" in endpoints


def vehicle_data(vehicle: Vehicle, now: float, endpoints: frozenset[str], region: str) -> dict[str, Any]:
    stamp = int(now * 1000)
    body = vehicle_summary(vehicle)
    if "charge_state" in endpoints:
        body["charge_state"] = charge_state(vehicle, now, stamp, region)
    if "climate_state" in endpoints:
        body["climate_state"] = climate_state(vehicle, stamp)
    if "drive_state" in endpoints or wants_location(endpoints):
        body["drive_state"] = drive_state(vehicle, now, stamp, with_location=wants_location(endpoints))
    if "gui_settings" in endpoints:
        body["gui_settings"] = gui_settings(stamp, region)
    if "vehicle_config" in endpoints:
        body["vehicle_config"] = vehicle_config(vehicle, stamp, region)
    if "vehicle_state" in endpoints:
        body["vehicle_state"] = vehicle_state(vehicle, now, stamp)
    elif "closures_state" in endpoints:
        body["vehicle_state"] = {**closures(vehicle), "timestamp": stamp}
    if "charge_schedule_data" in endpoints:
        body["charge_schedule_data"] = charge_schedule_data(vehicle, now, stamp)
    if "preconditioning_schedule_data" in endpoints:
        body["preconditioning_schedule_data"] = preconditioning_schedule_data(vehicle, now, stamp)
    return body


def charge_schedule_data(vehicle: Vehicle, now: float, stamp: int) -> dict[str, Any]:
    here = charge_schedules_here(vehicle)
    upcoming = next_charge_start(here, now) is not None or next_charge_end(here, now) is not None
    return {
        "charge_schedules": [schedule.as_tesla() for schedule in vehicle.charge_schedules],
        "charge_buffer": 5,
        "max_num_charge_schedules": MAX_SCHEDULES,
        "next_schedule": upcoming,
        "show_schedule_complete_state": False,
        "timestamp": stamp,
    }


def preconditioning_schedule_data(vehicle: Vehicle, now: float, stamp: int) -> dict[str, Any]:
    return {
        "precondition_schedules": [schedule.as_tesla() for schedule in vehicle.precondition_schedules],
        "max_num_precondition_schedules": MAX_SCHEDULES,
        "next_schedule": next_departure_to_prepare(vehicle, now) is not None,
        "timestamp": stamp,
    }


def charge_state(vehicle: Vehicle, now: float, stamp: int, region: str) -> dict[str, Any]:
    charging = vehicle.charging_state == "Charging"
    power_kw = vehicle.charger_power_kw()
    range_miles = round(vehicle.battery_range(), 2)
    minutes = vehicle.minutes_to_full_charge()
    next_start = vehicle.next_scheduled_start(now) if vehicle.scheduled_charging_pending() else None
    return {
        "battery_heater_on": False,
        "battery_level": round(vehicle.battery_level),
        "battery_range": range_miles,
        "charge_amps": vehicle.charge_amps,
        "charge_current_request": vehicle.charge_amps,
        "charge_current_request_max": vehicle.charge_current_request_max,
        "charge_enable_request": charging or vehicle.charging_state == "Complete",
        "charge_energy_added": round(vehicle.charge_energy_added, 2),
        "charge_limit_soc": vehicle.charge_limit_soc,
        "charge_limit_soc_max": CHARGE_LIMIT_MAX,
        "charge_limit_soc_min": CHARGE_LIMIT_MIN,
        "charge_limit_soc_std": CHARGE_LIMIT_STANDARD,
        "charge_miles_added_ideal": round(vehicle.miles_added(), 1),
        "charge_miles_added_rated": round(vehicle.miles_added(), 1),
        "charge_port_cold_weather_mode": False,
        "charge_port_color": "<invalid>",
        "charge_port_door_open": vehicle.charge_port_door_open,
        "charge_port_latch": "Engaged" if vehicle.plugged_in else "Disengaged",
        "charge_rate": round(power_kw / vehicle.battery_capacity_kwh * vehicle.range_miles_at_full, 1),
        "charger_actual_current": vehicle.charge_amps if charging else 0,
        "charger_phases": vehicle.charger_phases if vehicle.plugged_in else None,
        "charger_pilot_current": vehicle.charge_current_request_max if vehicle.plugged_in else 0,
        "charger_power": round(power_kw),
        "charger_voltage": vehicle.charger_voltage if charging else 0,
        "charging_state": vehicle.charging_state,
        "conn_charge_cable": _cable(region) if vehicle.plugged_in else "<invalid>",
        "est_battery_range": round(range_miles * 0.93, 2),
        "fast_charger_brand": "<invalid>",
        "fast_charger_present": False,
        "fast_charger_type": "ACSingleWireCAN" if vehicle.plugged_in else "<invalid>",
        "ideal_battery_range": range_miles,
        "max_range_charge_counter": vehicle.max_range_charge_counter,
        "minutes_to_full_charge": minutes,
        "not_enough_power_to_heat": None,
        "off_peak_charging_enabled": vehicle.off_peak_charging_enabled,
        "off_peak_charging_times": "weekdays" if vehicle.off_peak_charging_weekdays_only else "all_week",
        "off_peak_hours_end_time": vehicle.off_peak_hours_end_time,
        "preconditioning_enabled": vehicle.preconditioning_enabled,
        "preconditioning_times": "weekdays" if vehicle.preconditioning_weekdays_only else "all_week",
        "scheduled_charging_mode": vehicle.scheduled_charging_mode,
        "scheduled_charging_pending": vehicle.scheduled_charging_pending(),
        "scheduled_charging_start_time": int(next_start) if next_start is not None else None,
        "scheduled_charging_start_time_app": vehicle.scheduled_charging_start_time or 0,
        "scheduled_departure_time_minutes": vehicle.scheduled_departure_minutes,
        "supercharger_session_trip_planner": False,
        "time_to_full_charge": round(minutes / 60, 2),
        "timestamp": stamp,
        "trip_charging": False,
        "usable_battery_level": round(vehicle.battery_level),
        "user_charge_enable_request": None,
        "module_temp_min": 18.0,
        "module_temp_max": 21.5,
        "energy_remaining": round(vehicle.battery_level / 100 * vehicle.battery_capacity_kwh, 2),
        "lifetime_energy_used": round(vehicle.odometer * 0.25, 3),
        "charging_schedule_override": False,
    }


def climate_state(vehicle: Vehicle, stamp: int) -> dict[str, Any]:
    on = vehicle.is_climate_on
    heated_wheel = vehicle.steering_wheel_heater
    cooled = (
        {
            "seat_fan_front_left": vehicle.seat_coolers.get(1, 0),
            "seat_fan_front_right": vehicle.seat_coolers.get(2, 0),
        }
        if vehicle.equipment.seat_cooling
        else {}
    )
    return {
        "allow_cabin_overheat_protection": True,
        "auto_seat_climate_left": False,
        "auto_seat_climate_right": False,
        "auto_steering_wheel_heat": False,
        "battery_heater": False,
        "battery_heater_no_power": None,
        "bioweapon_mode": vehicle.bioweapon_mode,
        "cabin_overheat_protection": vehicle.cabin_overheat_protection,
        "cabin_overheat_protection_actively_cooling": False,
        "climate_keeper_mode": vehicle.climate_keeper_mode,
        "cop_activation_temperature": vehicle.cop_activation_temperature,
        "defrost_mode": 2 if vehicle.max_defrost else 0,
        "driver_temp_setting": vehicle.driver_temp_setting,
        "fan_status": 4 if on else 0,
        "hvac_auto_request": "On",
        "inside_temp": round(vehicle.inside_temp, 1),
        "is_auto_conditioning_on": on,
        "is_climate_on": on,
        "is_front_defroster_on": vehicle.max_defrost,
        "is_preconditioning": on,
        "is_rear_defroster_on": vehicle.max_defrost,
        "left_temp_direction": 0,
        "max_avail_temp": MAX_AVAILABLE_TEMP,
        "min_avail_temp": MIN_AVAILABLE_TEMP,
        "outside_temp": round(vehicle.outside_temp, 1),
        "passenger_temp_setting": vehicle.passenger_temp_setting,
        "remote_heater_control_enabled": on,
        "right_temp_direction": 0,
        **{name: vehicle.seat_heaters.get(position, 0) for name, position in SEAT_FIELDS.items()},
        **cooled,
        "side_mirror_heaters": False,
        "steering_wheel_heat_level": vehicle.steering_wheel_heat_level,
        "steering_wheel_heater": heated_wheel,
        "supports_fan_only_cabin_overheat_protection": True,
        "timestamp": stamp,
        "wiper_blade_heater": False,
    }


def drive_state(vehicle: Vehicle, now: float, stamp: int, *, with_location: bool) -> dict[str, Any]:
    # Tesla answers a parked car with no shift state or speed; a moving one in D, at whole mph, drawing kW.
    drive = vehicle.drive
    state: dict[str, Any] = {
        "power": round(drive.power_kw) if drive is not None else -round(vehicle.charger_power_kw()),
        "shift_state": "D" if drive is not None else None,
        "speed": round(drive.speed_kph / KM_PER_MILE) if drive is not None else None,
        "timestamp": stamp,
    }
    if with_location:
        state.update(
            {
                "gps_as_of": int(now),
                "heading": vehicle.heading,
                "latitude": vehicle.latitude,
                "longitude": vehicle.longitude,
                "native_latitude": vehicle.latitude,
                "native_location_supported": 1,
                "native_longitude": vehicle.longitude,
                "native_type": "wgs",
            }
        )
    return state


def gui_settings(stamp: int, region: str) -> dict[str, Any]:
    imperial = region == "na"
    return {
        "gui_24_hour_time": not imperial,
        "gui_charge_rate_units": "mi/hr" if imperial else "kW",
        "gui_distance_units": "mi/hr" if imperial else "km/hr",
        "gui_range_display": "Rated",
        "gui_temperature_units": "F" if imperial else "C",
        "gui_tirepressure_units": "Psi" if imperial else "Bar",
        "show_range_units": False,
        "timestamp": stamp,
    }


def vehicle_config(vehicle: Vehicle, stamp: int, region: str) -> dict[str, Any]:
    return {
        "aux_park_lamps": "NaPremium" if region == "na" else "Eu",
        "badge_version": 1,
        "can_accept_navigation_requests": True,
        "can_actuate_trunks": True,
        "car_special_type": "base",
        "car_type": CAR_TYPES.get(vehicle.model, "model3"),
        "charge_port_type": {"na": "US", "eu": "CCS", "cn": "GB"}.get(region, "US"),
        "cop_user_set_temp_supported": True,
        "dashcam_clip_save_supported": True,
        "default_charge_to_max": False,
        "driver_assist": "TeslaAP3",
        "ece_restrictions": region == "eu",
        "efficiency_package": "M32021",
        "eu_vehicle": region == "eu",
        "exterior_color": vehicle.color or "PearlWhite",
        "exterior_trim": "Black",
        "exterior_trim_override": "",
        "has_air_suspension": vehicle.model in ("Model S", "Model X"),
        "has_ludicrous_mode": False,
        "has_seat_cooling": vehicle.equipment.seat_cooling,
        "headlamp_type": "Global",
        "interior_trim_type": "Black2",
        "key_version": 2,
        "motorized_charge_port": True,
        "paint_color_override": "",
        "performance_package": "Base",
        "plg": True,
        "pws": True,
        "rear_drive_unit": "PM216MOSFET",
        "rear_seat_heaters": 1 if vehicle.equipment.rear_seat_heaters else 0,
        "rear_seat_type": 0,
        "rhd": False,
        "roof_color": "RoofColorGlass",
        "seat_type": None,
        "spoiler_type": "None",
        "sun_roof_installed": vehicle.equipment.sunroof,
        "supports_qr_pairing": False,
        "third_row_seats": "FuturisFoldFlat" if vehicle.equipment.third_row_seats else "None",
        "timestamp": stamp,
        "trim_badging": "74d",
        "use_range_badging": True,
        "utc_offset": 0,  # the simulated car keeps UTC as its local time
        "webcam_selfie_supported": True,
        "webcam_supported": True,
        "wheel_type": "Pinwheel18CapKit",
    }


def closures(vehicle: Vehicle) -> dict[str, Any]:
    window = 1 if vehicle.windows_vented else 0
    return {
        "df": 0,
        "dr": 0,
        "pf": 0,
        "pr": 0,
        "fd_window": window,
        "fp_window": window,
        "rd_window": window,
        "rp_window": window,
        "ft": 1 if vehicle.front_trunk_open else 0,
        "rt": 1 if vehicle.rear_trunk_open else 0,
        "locked": vehicle.locked,
    }


def car_version(firmware: str) -> str:
    return f"{firmware} {hashlib.sha1(firmware.encode(), usedforsecurity=False).hexdigest()[:12]}"


def vehicle_state(vehicle: Vehicle, now: float, stamp: int) -> dict[str, Any]:
    update_scheduled = vehicle.software_update_scheduled_at is not None
    sun_roof = (
        {
            "sun_roof_percent_open": SUN_ROOF_VENT_PERCENT if vehicle.sun_roof_state == "vent" else 0,
            "sun_roof_state": vehicle.sun_roof_state,
        }
        if vehicle.equipment.sunroof
        else {}
    )
    return {
        "api_version": 84,
        "autopark_state_v2": "unavailable",
        "calendar_supported": True,
        "car_version": car_version(vehicle.firmware),
        "center_display_state": 2 if vehicle.is_climate_on else 0,
        "dashcam_clip_save_available": vehicle.sentry_mode,
        "dashcam_state": "Recording" if vehicle.sentry_mode else "Unavailable",
        **closures(vehicle),
        "feature_bitmask": "fbdffbff,187f",
        "is_user_present": False,
        "media_info": {
            "audio_volume": round(vehicle.audio_volume, 4),
            "audio_volume_increment": 0.333333,
            "audio_volume_max": 10.333333,
            "media_playback_status": "Playing" if vehicle.media_playing else "Stopped",
            "now_playing_source": "",
        },
        "media_state": {"remote_control_enabled": True},
        "notifications_supported": True,
        "odometer": round(vehicle.odometer, 6),
        "parsed_calendar_supported": True,
        "remote_start": vehicle.remote_start_active(now),
        "remote_start_enabled": True,
        "remote_start_supported": True,
        "santa_mode": 0,
        "sentry_mode": vehicle.sentry_mode,
        "sentry_mode_available": True,
        "service_mode": False,
        "service_mode_plus": False,
        "software_update": {
            "download_perc": 100 if update_scheduled else 0,
            "expected_duration_sec": 2700,
            "install_perc": 1,
            "status": "scheduled" if update_scheduled else "",
            "version": " ",
        },
        "speed_limit_mode": {
            "active": vehicle.speed_limit_active,
            "current_limit_mph": vehicle.speed_limit_mph,
            "max_limit_mph": 120,
            "min_limit_mph": 50,
            "pin_code_set": vehicle.speed_limit_pin is not None,
        },
        **sun_roof,
        "timestamp": stamp,
        "tpms_pressure_fl": 2.9,
        "tpms_pressure_fr": 2.9,
        "tpms_pressure_rl": 2.9,
        "tpms_pressure_rr": 2.9,
        "valet_mode": vehicle.valet_mode,
        "valet_pin_needed": False,
        "vehicle_name": vehicle.display_name,
        "vehicle_self_test_progress": 0,
        "vehicle_self_test_requested": False,
        "webcam_available": True,
    }


def _cable(region: str) -> str:
    return {"na": "SAE", "eu": "IEC", "cn": "GB_AC"}.get(region, "SAE")
