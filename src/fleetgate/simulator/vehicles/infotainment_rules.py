"""Media, navigation, naming and software-update commands (scope `vehicle_cmds`).

A software update is scheduled only in park (`not_in_park`), and there must be one to cancel
(`no_update_scheduled`), as the car answers.
"""

from __future__ import annotations

from typing import Any

from fleetgate.simulator.vehicles.outcomes import DONE, CommandOutcome, InvalidParameter, Rule, refused
from fleetgate.simulator.vehicles.params import invalid, need_float, need_int, need_str
from fleetgate.simulator.vehicles.vehicle import Vehicle

MAX_VOLUME = 11.0
VOLUME_STEP = 1 / 3
SHARE_TEXT_KEY = "android.intent.extra.TEXT"


def _volume_to(vehicle: Vehicle, volume: float) -> None:
    vehicle.audio_volume = min(max(volume, 0.0), MAX_VOLUME)


def media_toggle_playback(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.media_playing = not vehicle.media_playing
    return DONE


def media_skip(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    return DONE


def media_volume_up(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    _volume_to(vehicle, vehicle.audio_volume + VOLUME_STEP)
    return DONE


def media_volume_down(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    _volume_to(vehicle, vehicle.audio_volume - VOLUME_STEP)
    return DONE


def adjust_volume(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    volume = need_float(params, "volume")
    if not 0.0 <= volume <= MAX_VOLUME:
        raise invalid("volume")
    _volume_to(vehicle, volume)
    return DONE


def navigation_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    need_str(params, "type")
    value = params.get("value")
    if isinstance(value, dict):
        text = value.get(SHARE_TEXT_KEY)
    elif isinstance(value, str):
        text = value
    elif value is None:
        raise InvalidParameter("missing value param")
    else:
        raise invalid("value")
    if not isinstance(text, str) or not text.strip():
        raise invalid("value")
    vehicle.navigation_destination = text.strip()
    return DONE


def navigation_gps_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    lat, lon = need_float(params, "lat"), need_float(params, "lon")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise invalid("lat" if not -90 <= lat <= 90 else "lon")
    vehicle.navigation_destination = f"{lat:.6f},{lon:.6f}"
    return DONE


def navigation_sc_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.navigation_destination = f"Supercharger {need_int(params, 'id')}"
    return DONE


def navigation_waypoints_request(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.navigation_destination = need_str(params, "waypoints").split(",")[-1].strip()
    return DONE


def set_vehicle_name(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.display_name = need_str(params, "vehicle_name").strip()
    return DONE


def schedule_software_update(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    offset = need_int(params, "offset_sec")
    if offset < 0:
        raise invalid("offset_sec")
    if vehicle.drive is not None:
        return refused("not_in_park")
    vehicle.software_update_scheduled_at = now + offset
    return DONE


def cancel_software_update(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    if vehicle.software_update_scheduled_at is None:
        return refused("no_update_scheduled")
    vehicle.software_update_scheduled_at = None
    return DONE


def upcoming_calendar_entries(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    need_str(params, "calendar_data")
    return DONE


def remote_boombox(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    need_int(params, "sound")
    return DONE


INFOTAINMENT_RULES: dict[str, Rule] = {
    "media_toggle_playback": media_toggle_playback,
    "media_next_track": media_skip,
    "media_prev_track": media_skip,
    "media_next_fav": media_skip,
    "media_prev_fav": media_skip,
    "media_volume_up": media_volume_up,
    "media_volume_down": media_volume_down,
    "adjust_volume": adjust_volume,
    "navigation_request": navigation_request,
    "navigation_gps_request": navigation_gps_request,
    "navigation_sc_request": navigation_sc_request,
    "navigation_waypoints_request": navigation_waypoints_request,
    "set_vehicle_name": set_vehicle_name,
    "schedule_software_update": schedule_software_update,
    "cancel_software_update": cancel_software_update,
    "upcoming_calendar_entries": upcoming_calendar_entries,
    "remote_boombox": remote_boombox,
}
