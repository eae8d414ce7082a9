"""The catalogue, the signed builders and the simulator agree: every command the gateway offers has behaviour on
the simulated car or site, and every signed message the gateway builds is read back by the car as the command and
params the REST path would send."""

from __future__ import annotations

from typing import Any

import pytest
from tesla_protocol.command import car_server_pb2 as cs

from fleetgate.features.access.capabilities import ENERGY_SITE, VEHICLE
from fleetgate.features.commands.catalog import ABSENT, BY_NAME, CATALOG
from fleetgate.simulator.energy.commands import COMMANDS as ENERGY_COMMANDS
from fleetgate.simulator.vehicle_side import actions as car_side
from fleetgate.simulator.vehicles.commands import RULES
from fleetgate.tesla.signing import actions

# One valid set of params per signed command, as a developer would send them.
SAMPLES: dict[str, dict[str, Any]] = {
    "door_lock": {},
    "door_unlock": {},
    "remote_start_drive": {},
    "actuate_trunk": {"which_trunk": "rear"},
    "charge_port_door_open": {},
    "charge_port_door_close": {},
    "charge_start": {},
    "charge_stop": {},
    "charge_standard": {},
    "charge_max_range": {},
    "set_charge_limit": {"percent": 72},
    "set_charging_amps": {"charging_amps": 24},
    "set_scheduled_charging": {"enable": True, "time": 90},
    "set_scheduled_departure": {
        "enable": True,
        "departure_time": 450,
        "preconditioning_weekdays_only": True,
        "off_peak_charging_enabled": True,
        "end_off_peak_time": 360,
    },
    "add_charge_schedule": {
        "days_of_week": "Monday,Thurs",
        "enabled": True,
        "start_enabled": True,
        "start_time": 1320,
        "end_enabled": False,
        "lat": 37.4925,
        "lon": -121.9447,
        "name": "Nights",
        "id": 3,
        "one_time": True,
    },
    "remove_charge_schedule": {"id": 3},
    "add_precondition_schedule": {
        "days_of_week": "Weekdays",
        "enabled": False,
        "precondition_time": 450,
        "lat": -33.8568,
        "lon": 151.2153,
    },
    "remove_precondition_schedule": {"id": 1},
    "auto_conditioning_start": {},
    "auto_conditioning_stop": {},
    "set_temps": {"driver_temp": 21.5, "passenger_temp": 19},
    "set_preconditioning_max": {"on": True, "manual_override": True},
    "set_bioweapon_mode": {"on": True},
    "remote_steering_wheel_heater_request": {"on": True},
    "set_cabin_overheat_protection": {"on": True, "fan_only": True},
    "set_cop_temp": {"cop_temp": 1},
    "set_climate_keeper_mode": {"climate_keeper_mode": 2},
    "remote_seat_heater_request": {"seat_position": 4, "level": 2},
    "remote_seat_cooler_request": {"seat_position": 2, "seat_cooler_level": 0},
    "remote_auto_seat_climate_request": {"auto_seat_position": 1, "auto_climate_on": True},
    "remote_steering_wheel_heat_level_request": {"level": 3},
    "remote_auto_steering_wheel_heat_climate_request": {"on": False},
    "honk_horn": {},
    "flash_lights": {},
    "set_sentry_mode": {"on": True},
    "window_control": {"command": "vent"},
    "sun_roof_control": {"state": "close"},
    "trigger_homelink": {"lat": 37.4925, "lon": -121.9447, "token": "abc"},
    "remote_boombox": {"sound": 2000},
    "set_valet_mode": {"on": True, "password": "1234"},
    "reset_valet_pin": {},
    "speed_limit_activate": {"pin": "4321"},
    "speed_limit_deactivate": {"pin": "4321"},
    "speed_limit_set_limit": {"limit_mph": 70.5},
    "speed_limit_clear_pin": {"pin": "4321"},
    "speed_limit_clear_pin_admin": {},
    "set_pin_to_drive": {"on": False},
    "reset_pin_to_drive_pin": {},
    "clear_pin_to_drive_admin": {},
    "guest_mode": {"enable": True},
    "erase_user_data": {},
    "media_toggle_playback": {},
    "media_next_track": {},
    "media_prev_track": {},
    "media_next_fav": {},
    "media_prev_fav": {},
    "media_volume_up": {},
    "media_volume_down": {},
    "adjust_volume": {"volume": 5.5},
    "navigation_gps_request": {"lat": 48.8584, "lon": 2.2945},
    "navigation_sc_request": {"id": 1234},
    "navigation_waypoints_request": {"waypoints": "refId:ChIJAAA,refId:ChIJBBB"},
    "set_vehicle_name": {"vehicle_name": "Blue"},
    "schedule_software_update": {"offset_sec": 3600},
    "cancel_software_update": {},
}
SIGNED = sorted(name for name in actions.BUILDERS if name != "ping")


def test_every_vehicle_command_has_a_rule_on_the_simulated_car() -> None:
    offered = {spec.name for spec in CATALOG if spec.device_type == VEHICLE}
    assert offered - set(RULES) == set()


def test_every_energy_command_has_behaviour_on_the_simulated_site() -> None:
    endpoints = {spec.energy_endpoint for spec in CATALOG if spec.device_type == ENERGY_SITE}
    assert endpoints - set(ENERGY_COMMANDS) == set()


def test_every_command_the_simulated_car_runs_is_offered_or_said_absent() -> None:
    said = {spec.name for spec in CATALOG} | {gone.name for gone in ABSENT}
    assert set(RULES) - said == set()
    assert {gone.name for gone in ABSENT} & set(BY_NAME) == set()


# Tesla's Fleet API command list (developer.tesla.com, vehicle commands), by the scopes it lists them under.
TESLA_CHARGING_COMMANDS = [
    "add_charge_schedule",
    "add_precondition_schedule",
    "charge_max_range",
    "charge_port_door_close",
    "charge_port_door_open",
    "charge_standard",
    "charge_start",
    "charge_stop",
    "remove_charge_schedule",
    "remove_precondition_schedule",
    "set_charge_limit",
    "set_charging_amps",
    "set_scheduled_charging",
    "set_scheduled_departure",
]
TESLA_OTHER_COMMANDS = [
    "actuate_trunk",
    "adjust_volume",
    "auto_conditioning_start",
    "auto_conditioning_stop",
    "cancel_software_update",
    "clear_pin_to_drive_admin",
    "door_lock",
    "door_unlock",
    "erase_user_data",
    "flash_lights",
    "guest_mode",
    "honk_horn",
    "media_next_fav",
    "media_next_track",
    "media_prev_fav",
    "media_prev_track",
    "media_toggle_playback",
    "media_volume_down",
    "media_volume_up",
    "navigation_gps_request",
    "navigation_request",
    "navigation_sc_request",
    "navigation_waypoints_request",
    "remote_auto_seat_climate_request",
    "remote_auto_steering_wheel_heat_climate_request",
    "remote_boombox",
    "remote_seat_cooler_request",
    "remote_seat_heater_request",
    "remote_start_drive",
    "remote_steering_wheel_heat_level_request",
    "remote_steering_wheel_heater_request",
    "reset_pin_to_drive_pin",
    "reset_valet_pin",
    "schedule_software_update",
    "set_bioweapon_mode",
    "set_cabin_overheat_protection",
    "set_climate_keeper_mode",
    "set_cop_temp",
    "set_pin_to_drive",
    "set_preconditioning_max",
    "set_sentry_mode",
    "set_temps",
    "set_valet_mode",
    "set_vehicle_name",
    "speed_limit_activate",
    "speed_limit_clear_pin",
    "speed_limit_clear_pin_admin",
    "speed_limit_deactivate",
    "speed_limit_set_limit",
    "sun_roof_control",
    "trigger_homelink",
    "upcoming_calendar_entries",
    "window_control",
]


def test_every_command_of_teslas_list_is_offered_or_said_absent_with_the_scopes_tesla_lists() -> None:
    absent = {gone.name for gone in ABSENT}
    for name in TESLA_CHARGING_COMMANDS + TESLA_OTHER_COMMANDS:
        assert name in BY_NAME or name in absent, name
    for name in TESLA_CHARGING_COMMANDS:
        assert set(BY_NAME[name].scopes) == {"vehicle_cmds", "vehicle_charging_cmds"}, name
    for name in set(TESLA_OTHER_COMMANDS) - absent:
        assert BY_NAME[name].scopes == ("vehicle_cmds",), name


def test_every_signed_builder_has_a_catalogue_entry_and_a_sample() -> None:
    assert set(SIGNED) - set(BY_NAME) == set()
    assert set(SIGNED) == set(SAMPLES)


@pytest.mark.parametrize("name", SIGNED)
def test_the_signed_message_is_read_back_as_the_rest_command(name: str) -> None:
    params = BY_NAME[name].validate(SAMPLES[name])
    signed = actions.build(name, params)
    decoded = car_side.decode(signed.domain, signed.payload)
    assert isinstance(decoded, car_side.Command), decoded
    assert decoded.name == name
    assert decoded.params == params


def test_every_message_the_simulated_car_reads_has_a_builder() -> None:
    """A `VehicleAction` the car maps to a command, sent with its default content, names a command the gateway
    signs (those whose default content asks for nothing are left out: the sample test covers them)."""
    for field in cs.VehicleAction.DESCRIPTOR.oneofs_by_name["vehicle_action_msg"].fields:
        message = getattr(cs.VehicleAction(), field.name).__class__()
        action = cs.Action(vehicleAction=cs.VehicleAction(**{field.name: message}))
        decoded = car_side.decode_infotainment(action.SerializeToString())
        if isinstance(decoded, car_side.Command):
            assert decoded.name in actions.BUILDERS, field.name
    for command in car_side.RKE_COMMANDS.values():
        assert command.name in actions.BUILDERS or command.name == "wake_up", command.name


def test_what_the_messages_cannot_say_goes_over_rest() -> None:
    with pytest.raises(actions.UnsupportedSignedCommand):
        actions.build("sun_roof_control", {"state": "stop"})
    assert BY_NAME["navigation_request"].tesla_path == "POST /api/1/vehicles/{vin}/command/navigation_request"


def test_every_seat_and_heat_level_is_read_back_as_sent() -> None:
    for seat in range(9):
        for level in range(4):
            params = {"seat_position": seat, "level": level}
            signed = actions.build("remote_seat_heater_request", params)
            assert car_side.decode(signed.domain, signed.payload) == car_side.Command(
                "remote_seat_heater_request", params
            )
    for wheel in (0, 1, 3):
        signed = actions.build("remote_steering_wheel_heat_level_request", {"level": wheel})
        decoded = car_side.decode(signed.domain, signed.payload)
        assert decoded == car_side.Command("remote_steering_wheel_heat_level_request", {"level": wheel})


def test_schedule_days_are_stored_one_way_and_read_back_so() -> None:
    spec = BY_NAME["add_precondition_schedule"]
    place = {"enabled": True, "precondition_time": 420, "lat": 1.5, "lon": 2.5}
    for given, stored in (
        ("sat,SUN", "Sunday,Saturday"),
        ("Monday,Tuesday,Wednesday,Thursday,Friday", "Weekdays"),
        ("Weekdays,Saturday,Sunday", "All"),
        ("Thursday", "Thursday"),
    ):
        params = spec.validate({**place, "days_of_week": given})
        assert params["days_of_week"] == stored
        signed = actions.build(spec.name, params)
        decoded = car_side.decode(signed.domain, signed.payload)
        assert isinstance(decoded, car_side.Command)
        assert decoded.params["days_of_week"] == stored


def test_a_switched_off_departure_planner_is_read_back_as_sent() -> None:
    params = BY_NAME["set_scheduled_departure"].validate({"enable": False})
    signed = actions.build("set_scheduled_departure", params)
    assert car_side.decode(signed.domain, signed.payload) == car_side.Command("set_scheduled_departure", params)
