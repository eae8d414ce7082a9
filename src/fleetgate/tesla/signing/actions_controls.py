"""Security, body, media, navigation and software commands as `CarServer.VehicleAction` messages (the simulated
car's decoder reads them back into the same REST names and params).

What the messages cannot say goes over REST: a sunroof `stop` (the message only vents or closes). The window
message carries no location, nor the GPS and Supercharger destinations an `order`: REST's `lat`/`lon` of
`window_control` and `order` of `navigation_gps_request` and `navigation_sc_request` are dropped when signed.
"""

from __future__ import annotations

from collections.abc import Callable

from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import common_pb2 as common
from tesla_protocol.command import vehicle_pb2 as vehicle

from fleetgate.tesla.signing.payloads import (
    Params,
    SignedPayload,
    UnsupportedSignedCommand,
    car,
    choice,
    flag,
    integer,
    number,
    text,
)

INT32_MAX = 2**31 - 1


def _window(params: Params) -> SignedPayload:
    move = {choice(params, "command", ("vent", "close")): common.Void()}
    return car(vehicleControlWindowAction=cs.VehicleControlWindowAction(**move))


def _sunroof(params: Params) -> SignedPayload:
    state = choice(params, "state", ("vent", "close", "stop"))
    if state == "stop":
        raise UnsupportedSignedCommand("sun_roof_control stop")
    move = {state: common.Void()}
    return car(vehicleControlSunroofOpenCloseAction=cs.VehicleControlSunroofOpenCloseAction(**move))  # type: ignore[arg-type]


def _homelink(params: Params) -> SignedPayload:
    where = common.LatLong(latitude=number(params, "lat", -90, 90), longitude=number(params, "lon", -180, 180))
    return car(
        vehicleControlTriggerHomelinkAction=cs.VehicleControlTriggerHomelinkAction(
            location=where, token=text(params, "token", "")
        )
    )


def _speed_limit(activate: bool) -> Callable[[Params], SignedPayload]:
    return lambda p: car(drivingSpeedLimitAction=cs.DrivingSpeedLimitAction(activate=activate, pin=text(p, "pin")))


def _volume_step(delta: int) -> Callable[[Params], SignedPayload]:
    return lambda p: car(mediaUpdateVolume=cs.MediaUpdateVolume(volume_delta=delta))


CONTROL_BUILDERS: dict[str, Callable[[Params], SignedPayload]] = {
    "honk_horn": lambda p: car(vehicleControlHonkHornAction=cs.VehicleControlHonkHornAction()),
    "flash_lights": lambda p: car(vehicleControlFlashLightsAction=cs.VehicleControlFlashLightsAction()),
    "set_sentry_mode": lambda p: car(
        vehicleControlSetSentryModeAction=cs.VehicleControlSetSentryModeAction(on=flag(p, "on"))
    ),
    "window_control": _window,
    "sun_roof_control": _sunroof,
    "trigger_homelink": _homelink,
    "remote_boombox": lambda p: car(boomboxAction=cs.BoomboxAction(sound=integer(p, "sound", 0, INT32_MAX))),
    "set_valet_mode": lambda p: car(
        vehicleControlSetValetModeAction=cs.VehicleControlSetValetModeAction(
            on=flag(p, "on"), password=text(p, "password", "")
        )
    ),
    "reset_valet_pin": lambda p: car(vehicleControlResetValetPinAction=cs.VehicleControlResetValetPinAction()),
    "speed_limit_activate": _speed_limit(True),
    "speed_limit_deactivate": _speed_limit(False),
    "speed_limit_set_limit": lambda p: car(
        drivingSetSpeedLimitAction=cs.DrivingSetSpeedLimitAction(limit_mph=number(p, "limit_mph", 50, 120))
    ),
    "speed_limit_clear_pin": lambda p: car(
        drivingClearSpeedLimitPinAction=cs.DrivingClearSpeedLimitPinAction(pin=text(p, "pin"))
    ),
    "speed_limit_clear_pin_admin": lambda p: car(
        drivingClearSpeedLimitPinAdminAction=cs.DrivingClearSpeedLimitPinAdminAction()
    ),
    "set_pin_to_drive": lambda p: car(
        vehicleControlSetPinToDriveAction=cs.VehicleControlSetPinToDriveAction(
            on=flag(p, "on"), password=text(p, "password", "")
        )
    ),
    "reset_pin_to_drive_pin": lambda p: car(
        vehicleControlResetPinToDriveAction=cs.VehicleControlResetPinToDriveAction()
    ),
    "clear_pin_to_drive_admin": lambda p: car(
        vehicleControlResetPinToDriveAdminAction=cs.VehicleControlResetPinToDriveAdminAction()
    ),
    "guest_mode": lambda p: car(guestModeAction=vehicle.VehicleState.GuestMode(GuestModeActive=flag(p, "enable"))),
    "erase_user_data": lambda p: car(eraseUserDataAction=cs.EraseUserDataAction()),
    "media_toggle_playback": lambda p: car(mediaPlayAction=cs.MediaPlayAction()),
    "media_next_track": lambda p: car(mediaNextTrack=cs.MediaNextTrack()),
    "media_prev_track": lambda p: car(mediaPreviousTrack=cs.MediaPreviousTrack()),
    "media_next_fav": lambda p: car(mediaNextFavorite=cs.MediaNextFavorite()),
    "media_prev_fav": lambda p: car(mediaPreviousFavorite=cs.MediaPreviousFavorite()),
    "media_volume_up": _volume_step(1),
    "media_volume_down": _volume_step(-1),
    "adjust_volume": lambda p: car(
        mediaUpdateVolume=cs.MediaUpdateVolume(volume_absolute_float=number(p, "volume", 0, 11))
    ),
    "navigation_gps_request": lambda p: car(
        navigationGpsRequest=cs.NavigationGpsRequest(lat=number(p, "lat", -90, 90), lon=number(p, "lon", -180, 180))
    ),
    "navigation_sc_request": lambda p: car(
        navigationSuperchargerRequest=cs.NavigationSuperchargerRequest(id=integer(p, "id", 0, INT32_MAX))
    ),
    "navigation_waypoints_request": lambda p: car(
        navigationWaypointsRequest=cs.NavigationWaypointsRequest(waypoints=text(p, "waypoints"))
    ),
    "set_vehicle_name": lambda p: car(
        setVehicleNameAction=cs.SetVehicleNameAction(vehicleName=text(p, "vehicle_name"))
    ),
    "schedule_software_update": lambda p: car(
        vehicleControlScheduleSoftwareUpdateAction=cs.VehicleControlScheduleSoftwareUpdateAction(
            offset_sec=integer(p, "offset_sec", 0, INT32_MAX)
        )
    ),
    "cancel_software_update": lambda p: car(
        vehicleControlCancelSoftwareUpdateAction=cs.VehicleControlCancelSoftwareUpdateAction()
    ),
}
