"""What a signed payload asks for, in the REST vocabulary (`door_lock`, `set_charge_limit {"percent": 80}`, ...).

Both halves read the plaintext: the Fleet API to know which OAuth scope the command needs, the car to run it
through the same command rules as the REST path. VCSEC payloads are `VCSEC.UnsignedMessage`, infotainment
payloads `CarServer.Action`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from google.protobuf.message import DecodeError
from google.protobuf.message import Message as ProtoMessage
from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.protocol.authentication import DOMAIN_INFOTAINMENT, DOMAIN_VEHICLE_SECURITY
from fleetgate.simulator.vehicles.schedules import ALL_DAYS, WEEKDAYS


@dataclass(frozen=True, slots=True)
class Command:
    """A payload the car maps to a REST command name and parameters."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ping:
    ping_id: int


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A well-formed request for something the simulated car does not do (`what` names the protobuf field)."""

    what: str


@dataclass(frozen=True, slots=True)
class Undecodable:
    """Bytes that are not the domain's message type, or a message that asks for nothing."""

    reason: str


Decoded = Command | Ping | Unsupported | Undecodable
M = TypeVar("M", bound=ProtoMessage)

RKE_COMMANDS: dict[int, Command] = {
    vcsec.RKE_ACTION_UNLOCK: Command("door_unlock"),
    vcsec.RKE_ACTION_LOCK: Command("door_lock"),
    vcsec.RKE_ACTION_OPEN_TRUNK: Command("actuate_trunk", {"which_trunk": "rear"}),
    vcsec.RKE_ACTION_OPEN_FRUNK: Command("actuate_trunk", {"which_trunk": "front"}),
    vcsec.RKE_ACTION_OPEN_CHARGE_PORT: Command("charge_port_door_open"),
    vcsec.RKE_ACTION_CLOSE_CHARGE_PORT: Command("charge_port_door_close"),
    vcsec.RKE_ACTION_REMOTE_DRIVE: Command("remote_start_drive"),
    vcsec.RKE_ACTION_WAKE_VEHICLE: Command("wake_up"),
}

_OPENING_MOVES = (vcsec.CLOSURE_MOVE_TYPE_MOVE, vcsec.CLOSURE_MOVE_TYPE_OPEN)


def decode(domain: int, payload: bytes) -> Decoded:
    if domain == DOMAIN_VEHICLE_SECURITY:
        return decode_vcsec(payload)
    if domain == DOMAIN_INFOTAINMENT:
        return decode_infotainment(payload)
    return Unsupported(f"domain {domain}")


def _parse(message: M, payload: bytes) -> M | None:
    try:
        message.ParseFromString(payload)
    except DecodeError:
        return None
    return message


def decode_vcsec(payload: bytes) -> Decoded:
    message = _parse(vcsec.UnsignedMessage(), payload)
    if message is None:
        return Undecodable("not a VCSEC.UnsignedMessage")
    which = message.WhichOneof("sub_message")
    if which is None:
        return Undecodable("empty VCSEC.UnsignedMessage")
    if which == "RKEAction":
        return RKE_COMMANDS.get(message.RKEAction, Unsupported(vcsec.RKEAction_E.Name(message.RKEAction)))
    if which == "closureMoveRequest":
        return _closure_command(message.closureMoveRequest)
    return Unsupported(which)


def _closure_command(request: vcsec.ClosureMoveRequest) -> Decoded:
    # One closure per request, as the official client sends them; doors cannot be moved remotely.
    if request.rearTrunk in _OPENING_MOVES:
        return Command("actuate_trunk", {"which_trunk": "rear"})
    if request.frontTrunk in _OPENING_MOVES:
        return Command("actuate_trunk", {"which_trunk": "front"})
    if request.chargePort in _OPENING_MOVES:
        return Command("charge_port_door_open")
    if request.chargePort == vcsec.CLOSURE_MOVE_TYPE_CLOSE:
        return Command("charge_port_door_close")
    return Unsupported("closureMoveRequest")


def decode_infotainment(payload: bytes) -> Decoded:
    action = _parse(cs.Action(), payload)
    if action is None:
        return Undecodable("not a CarServer.Action")
    if not action.HasField("vehicleAction"):
        return Undecodable("CarServer.Action without a vehicleAction")
    vehicle_action = action.vehicleAction
    which = vehicle_action.WhichOneof("vehicle_action_msg")
    if which is None:
        return Undecodable("empty CarServer.VehicleAction")
    if which == "ping":
        return Ping(vehicle_action.ping.ping_id)
    reader = _INFOTAINMENT.get(which)
    if reader is None:
        return Unsupported(which)
    return reader(getattr(vehicle_action, which))


def _charging(action: cs.ChargingStartStopAction) -> Decoded:
    names = {
        "start": "charge_start",
        "stop": "charge_stop",
        "start_standard": "charge_standard",
        "start_max_range": "charge_max_range",
    }
    which = action.WhichOneof("charging_action")
    name = names.get(which or "")
    return Command(name) if name else Unsupported(f"chargingStartStopAction.{which}")


def _temperatures(action: cs.HvacTemperatureAdjustmentAction) -> Decoded:
    return Command(
        "set_temps",
        {
            "driver_temp": round(action.driver_temp_celsius, 2),
            "passenger_temp": round(action.passenger_temp_celsius, 2),
        },
    )


def _volume(action: cs.MediaUpdateVolume) -> Decoded:
    which = action.WhichOneof("media_volume")
    if which == "volume_absolute_float":
        return Command("adjust_volume", {"volume": round(action.volume_absolute_float, 2)})
    if which == "volume_delta" and action.volume_delta:
        return Command("media_volume_up" if action.volume_delta > 0 else "media_volume_down")
    return Unsupported("mediaUpdateVolume")


def _window(action: cs.VehicleControlWindowAction) -> Decoded:
    which = action.WhichOneof("action")
    if which in ("vent", "close"):
        return Command("window_control", {"command": which})
    return Unsupported("vehicleControlWindowAction")


def _sunroof(action: cs.VehicleControlSunroofOpenCloseAction) -> Decoded:
    which = action.WhichOneof("action")
    if which in ("vent", "close"):
        return Command("sun_roof_control", {"state": which})
    return Unsupported("vehicleControlSunroofOpenCloseAction")


def _cop_temp(action: cs.SetCopTempAction) -> Decoded:
    # REST numbers the levels 0-2 (low, medium, high); the protobuf enum starts with "unspecified".
    if action.copActivationTemp == 0:
        return Unsupported("setCopTempAction")
    return Command("set_cop_temp", {"cop_temp": int(action.copActivationTemp) - 1})


# REST's seat numbers, in the order of the protobuf's seat_position oneof (after CAR_SEAT_UNKNOWN).
SEATS = (
    "CAR_SEAT_FRONT_LEFT",
    "CAR_SEAT_FRONT_RIGHT",
    "CAR_SEAT_REAR_LEFT",
    "CAR_SEAT_REAR_LEFT_BACK",
    "CAR_SEAT_REAR_CENTER",
    "CAR_SEAT_REAR_RIGHT",
    "CAR_SEAT_REAR_RIGHT_BACK",
    "CAR_SEAT_THIRD_ROW_LEFT",
    "CAR_SEAT_THIRD_ROW_RIGHT",
)
SEAT_HEATER_LEVELS = ("SEAT_HEATER_OFF", "SEAT_HEATER_LOW", "SEAT_HEATER_MED", "SEAT_HEATER_HIGH")
# The protobuf's wheel levels (off, low, high after "unknown") as REST numbers them: Tesla's skip 2.
WHEEL_LEVELS = {1: 0, 2: 1, 3: 3}


def _seat_heater(action: cs.HvacSeatHeaterActions) -> Decoded:
    # REST sets one seat a command; the official client sends a message per seat the same way.
    if len(action.hvacSeatHeaterAction) != 1:
        return Unsupported("hvacSeatHeaterActions")
    seat = action.hvacSeatHeaterAction[0]
    position, level = seat.WhichOneof("seat_position"), seat.WhichOneof("seat_heater_level")
    if position not in SEATS or level not in SEAT_HEATER_LEVELS:
        return Unsupported("hvacSeatHeaterActions")
    return Command(
        "remote_seat_heater_request",
        {"seat_position": SEATS.index(position), "level": SEAT_HEATER_LEVELS.index(level)},
    )


def _seat_cooler(action: cs.HvacSeatCoolerActions) -> Decoded:
    if len(action.hvacSeatCoolerAction) != 1:
        return Unsupported("hvacSeatCoolerActions")
    seat = action.hvacSeatCoolerAction[0]
    if seat.seat_position not in (1, 2) or seat.seat_cooler_level == 0:
        return Unsupported("hvacSeatCoolerActions")
    # Positions number as REST's (1 front left, 2 front right); levels start at off = 1 after "unknown".
    return Command(
        "remote_seat_cooler_request",
        {"seat_position": int(seat.seat_position), "seat_cooler_level": int(seat.seat_cooler_level) - 1},
    )


def _auto_seat(action: cs.AutoSeatClimateAction) -> Decoded:
    if len(action.carseat) != 1 or action.carseat[0].seat_position not in (1, 2):
        return Unsupported("autoSeatClimateAction")
    seat = action.carseat[0]
    return Command(
        "remote_auto_seat_climate_request",
        {"auto_seat_position": int(seat.seat_position), "auto_climate_on": seat.on},
    )


def _wheel_level(action: cs.StwHeatLevelAction) -> Decoded:
    level = WHEEL_LEVELS.get(int(action.stw_heat_level))
    if level is None:
        return Unsupported("stwHeatLevelAction")
    return Command("remote_steering_wheel_heat_level_request", {"level": level})


DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _day_names(days: int) -> str:
    """The bitmask (Sunday 1 to Saturday 64) as the REST command names it, one way only."""
    if days == ALL_DAYS:
        return "All"
    if days == WEEKDAYS:
        return "Weekdays"
    return ",".join(name for index, name in enumerate(DAY_NAMES) if days & (1 << index))


def _schedule_params(schedule: Any) -> dict[str, Any]:
    """What both schedule messages share, in REST's words; what REST leaves out when unset is left out.
    Coordinates are float32 in the message: 5 decimals (a metre) are what they carry."""
    params: dict[str, Any] = {
        "days_of_week": _day_names(schedule.days_of_week),
        "enabled": schedule.enabled,
        "lat": round(schedule.latitude, 5),
        "lon": round(schedule.longitude, 5),
    }
    if schedule.id:
        params["id"] = schedule.id
    if schedule.name:
        params["name"] = schedule.name
    if schedule.one_time:
        params["one_time"] = True
    return params


def _charge_schedule(schedule: Any) -> Decoded:
    params = _schedule_params(schedule)
    params["start_enabled"], params["end_enabled"] = schedule.start_enabled, schedule.end_enabled
    for key, enabled in (("start_time", schedule.start_enabled), ("end_time", schedule.end_enabled)):
        if enabled or getattr(schedule, key):
            params[key] = getattr(schedule, key)
    return Command("add_charge_schedule", params)


def _precondition_schedule(schedule: Any) -> Decoded:
    return Command(
        "add_precondition_schedule",
        {**_schedule_params(schedule), "precondition_time": schedule.precondition_time},
    )


def _departure(action: cs.ScheduledDepartureAction) -> Decoded:
    """Every setting of the planner, as REST names them: an unset policy is off, `weekdays` is on for weekdays."""
    params: dict[str, Any] = {"enable": action.enabled, "end_off_peak_time": action.off_peak_hours_end_time}
    if action.enabled or action.departure_time:
        params["departure_time"] = action.departure_time
    for prefix, times in (
        ("preconditioning", action.preconditioning_times),
        ("off_peak_charging", action.off_peak_charging_times),
    ):
        which = times.WhichOneof("times")
        params[f"{prefix}_enabled"] = which is not None
        params[f"{prefix}_weekdays_only"] = which == "weekdays"
    return Command("set_scheduled_departure", params)


def _fixed(name: str) -> Callable[[Any], Decoded]:
    return lambda _action: Command(name)


_INFOTAINMENT: dict[str, Callable[[Any], Decoded]] = {
    "chargingStartStopAction": _charging,
    "chargingSetLimitAction": lambda a: Command("set_charge_limit", {"percent": a.percent}),
    "setChargingAmpsAction": lambda a: Command("set_charging_amps", {"charging_amps": a.charging_amps}),
    "addChargeScheduleAction": _charge_schedule,
    "removeChargeScheduleAction": lambda a: Command("remove_charge_schedule", {"id": a.id}),
    "addPreconditionScheduleAction": _precondition_schedule,
    "removePreconditionScheduleAction": lambda a: Command("remove_precondition_schedule", {"id": a.id}),
    "scheduledDepartureAction": _departure,
    "scheduledChargingAction": lambda a: Command(
        "set_scheduled_charging", {"enable": a.enabled, "time": a.charging_time}
    ),
    "chargePortDoorOpen": _fixed("charge_port_door_open"),
    "chargePortDoorClose": _fixed("charge_port_door_close"),
    "hvacAutoAction": lambda a: Command("auto_conditioning_start" if a.power_on else "auto_conditioning_stop"),
    "hvacTemperatureAdjustmentAction": _temperatures,
    "hvacSetPreconditioningMaxAction": lambda a: Command(
        "set_preconditioning_max", {"on": a.on, "manual_override": a.manual_override}
    ),
    "hvacBioweaponModeAction": lambda a: Command(
        "set_bioweapon_mode", {"on": a.on, "manual_override": a.manual_override}
    ),
    "hvacSteeringWheelHeaterAction": lambda a: Command("remote_steering_wheel_heater_request", {"on": a.power_on}),
    "hvacSeatHeaterActions": _seat_heater,
    "hvacSeatCoolerActions": _seat_cooler,
    "autoSeatClimateAction": _auto_seat,
    "stwHeatLevelAction": _wheel_level,
    "autoStwHeatAction": lambda a: Command("remote_auto_steering_wheel_heat_climate_request", {"on": a.on}),
    "setCabinOverheatProtectionAction": lambda a: Command(
        "set_cabin_overheat_protection", {"on": a.on, "fan_only": a.fan_only}
    ),
    "vehicleControlHonkHornAction": _fixed("honk_horn"),
    "vehicleControlFlashLightsAction": _fixed("flash_lights"),
    "vehicleControlSetSentryModeAction": lambda a: Command("set_sentry_mode", {"on": a.on}),
    "vehicleControlSetValetModeAction": lambda a: Command("set_valet_mode", {"on": a.on, "password": a.password}),
    "vehicleControlResetValetPinAction": _fixed("reset_valet_pin"),
    "vehicleControlWindowAction": _window,
    "vehicleControlScheduleSoftwareUpdateAction": lambda a: Command(
        "schedule_software_update", {"offset_sec": a.offset_sec}
    ),
    "vehicleControlCancelSoftwareUpdateAction": _fixed("cancel_software_update"),
    "remoteStartDrive": _fixed("remote_start_drive"),
    "drivingSpeedLimitAction": lambda a: Command(
        "speed_limit_activate" if a.activate else "speed_limit_deactivate", {"pin": a.pin}
    ),
    "drivingSetSpeedLimitAction": lambda a: Command("speed_limit_set_limit", {"limit_mph": a.limit_mph}),
    "drivingClearSpeedLimitPinAction": lambda a: Command("speed_limit_clear_pin", {"pin": a.pin}),
    "drivingClearSpeedLimitPinAdminAction": _fixed("speed_limit_clear_pin_admin"),
    "vehicleControlSetPinToDriveAction": lambda a: Command("set_pin_to_drive", {"on": a.on, "password": a.password}),
    "vehicleControlResetPinToDriveAction": _fixed("reset_pin_to_drive_pin"),
    "vehicleControlResetPinToDriveAdminAction": _fixed("clear_pin_to_drive_admin"),
    "vehicleControlSunroofOpenCloseAction": _sunroof,
    "vehicleControlTriggerHomelinkAction": lambda a: Command(
        "trigger_homelink",
        {"lat": round(a.location.latitude, 5), "lon": round(a.location.longitude, 5), "token": a.token},
    ),
    "guestModeAction": lambda a: Command("guest_mode", {"enable": a.GuestModeActive}),
    "eraseUserDataAction": _fixed("erase_user_data"),
    "setCopTempAction": _cop_temp,
    "hvacClimateKeeperAction": lambda a: Command(
        "set_climate_keeper_mode", {"climate_keeper_mode": int(a.ClimateKeeperAction)}
    ),
    "navigationGpsRequest": lambda a: Command("navigation_gps_request", {"lat": a.lat, "lon": a.lon}),
    "navigationSuperchargerRequest": lambda a: Command("navigation_sc_request", {"id": a.id}),
    "navigationWaypointsRequest": lambda a: Command("navigation_waypoints_request", {"waypoints": a.waypoints}),
    "boomboxAction": lambda a: Command("remote_boombox", {"sound": a.sound}),
    "setVehicleNameAction": lambda a: Command("set_vehicle_name", {"vehicle_name": a.vehicleName}),
    "mediaPlayAction": _fixed("media_toggle_playback"),
    "mediaNextTrack": _fixed("media_next_track"),
    "mediaPreviousTrack": _fixed("media_prev_track"),
    "mediaNextFavorite": _fixed("media_next_fav"),
    "mediaPreviousFavorite": _fixed("media_prev_fav"),
    "mediaUpdateVolume": _volume,
}
