"""Every command the actions catalogue builds, signed by `SignedCommander` and run on the simulated car."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from fleetgate.protocol.authentication import DOMAIN_INFOTAINMENT, DOMAIN_VEHICLE_SECURITY
from fleetgate.simulator.world import World
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import CommandRefused
from fleetgate.tesla.signing import actions
from tests.simulator.factories import SimFactory
from tests.tesla.support import connect, executed, patch_vehicle, vehicle_state

VCSEC = DOMAIN_VEHICLE_SECURITY
INFOTAINMENT = DOMAIN_INFOTAINMENT


@dataclass(frozen=True)
class Case:
    name: str
    params: dict[str, Any]
    domain: int
    before: dict[str, Any]  # the car, as the control API sets it, so that the command has something to do
    after: dict[str, Any]  # what the control API shows afterwards
    sim_params: dict[str, Any] = field(default_factory=dict)  # the REST params the car decoded
    first: tuple[tuple[str, dict[str, Any]], ...] = ()  # commands that bring the car where `before` cannot


# Where the simulated car is parked, so that the schedule applies there.
SCHEDULE = {"days_of_week": "Weekdays", "enabled": True, "lat": 37.4925, "lon": -121.9447}

CASES = [
    Case("door_lock", {}, VCSEC, {"locked": False}, {"locked": True}),
    Case("door_unlock", {}, VCSEC, {"locked": True}, {"locked": False}),
    Case(
        "actuate_trunk",
        {"which_trunk": "rear"},
        VCSEC,
        {},
        {"rear_trunk_open": True, "front_trunk_open": False},
        {"which_trunk": "rear"},
    ),
    Case("remote_start_drive", {}, VCSEC, {}, {}),
    Case("charge_port_door_open", {}, INFOTAINMENT, {}, {"charge_port_door_open": True}),
    Case(
        "charge_port_door_close",
        {},
        INFOTAINMENT,
        {},
        {"charge_port_door_open": False},
        first=(("charge_port_door_open", {}),),
    ),
    Case("charge_start", {}, INFOTAINMENT, {"plugged_in": True}, {"charging_state": "Charging"}),
    Case("charge_stop", {}, INFOTAINMENT, {"charging_state": "Charging"}, {"charging_state": "Stopped"}),
    Case("charge_standard", {}, INFOTAINMENT, {"charge_limit_soc": 90}, {"charge_limit_soc": 80}),
    Case("charge_max_range", {}, INFOTAINMENT, {"charge_limit_soc": 80}, {"charge_limit_soc": 100}),
    Case("set_charge_limit", {"percent": 65}, INFOTAINMENT, {}, {"charge_limit_soc": 65}, {"percent": 65}),
    Case("set_charging_amps", {"charging_amps": 16}, INFOTAINMENT, {}, {"charge_amps": 16}, {"charging_amps": 16}),
    Case("auto_conditioning_start", {}, INFOTAINMENT, {"is_climate_on": False}, {"is_climate_on": True}),
    Case("auto_conditioning_stop", {}, INFOTAINMENT, {"is_climate_on": True}, {"is_climate_on": False}),
    Case(
        "set_temps",
        {"driver_temp": 22.5, "passenger_temp": 19},
        INFOTAINMENT,
        {},
        {"driver_temp_setting": 22.5, "passenger_temp_setting": 19.0},
        {"driver_temp": 22.5, "passenger_temp": 19.0},
    ),
    Case("honk_horn", {}, INFOTAINMENT, {}, {}),
    Case("flash_lights", {}, INFOTAINMENT, {}, {}),
    Case("set_sentry_mode", {"on": True}, INFOTAINMENT, {"sentry_mode": False}, {"sentry_mode": True}, {"on": True}),
    Case(
        "set_scheduled_charging",
        {"enable": True, "time": 120},
        INFOTAINMENT,
        {"plugged_in": True},
        {"scheduled_charging_mode": "StartAt", "scheduled_charging_start_time": 120},
        {"enable": True, "time": 120},
    ),
    Case(
        "set_scheduled_departure",
        {"enable": True, "departure_time": 450, "off_peak_charging_weekdays_only": True},
        INFOTAINMENT,
        {},
        {"scheduled_departure_enabled": True, "scheduled_departure_minutes": 450},
        {
            "enable": True,
            "departure_time": 450,
            "preconditioning_enabled": False,
            "preconditioning_weekdays_only": False,
            "off_peak_charging_enabled": True,
            "off_peak_charging_weekdays_only": True,
            "end_off_peak_time": 0,
        },
    ),
    Case(
        "add_charge_schedule",
        {**SCHEDULE, "start_enabled": True, "start_time": 1320, "end_enabled": False},
        INFOTAINMENT,
        {},
        {},
        {**SCHEDULE, "start_enabled": True, "start_time": 1320, "end_enabled": False},
    ),
    Case(
        "remove_charge_schedule",
        {"id": 1},
        INFOTAINMENT,
        {},
        {"charge_schedules": []},
        {"id": 1},
        first=(("add_charge_schedule", {**SCHEDULE, "start_enabled": False, "end_enabled": False}),),
    ),
    Case(
        "add_precondition_schedule",
        {**SCHEDULE, "precondition_time": 450},
        INFOTAINMENT,
        {},
        {},
        {**SCHEDULE, "precondition_time": 450},
    ),
    Case(
        "remove_precondition_schedule",
        {"id": 1},
        INFOTAINMENT,
        {},
        {"precondition_schedules": []},
        {"id": 1},
        first=(("add_precondition_schedule", {**SCHEDULE, "precondition_time": 450}),),
    ),
    Case(
        "set_preconditioning_max",
        {"on": True},
        INFOTAINMENT,
        {},
        {"max_defrost": True, "is_climate_on": True},
        {"on": True, "manual_override": False},
    ),
    Case(
        "set_bioweapon_mode",
        {"on": True},
        INFOTAINMENT,
        {},
        {"bioweapon_mode": True},
        {"on": True, "manual_override": False},
    ),
    Case(
        "remote_steering_wheel_heater_request",
        {"on": True},
        INFOTAINMENT,
        {"is_climate_on": True},
        {"steering_wheel_heater": True},
        {"on": True},
    ),
    Case(
        "set_cabin_overheat_protection",
        {"on": True, "fan_only": True},
        INFOTAINMENT,
        {},
        {"cabin_overheat_protection": "FanOnly"},
        {"on": True, "fan_only": True},
    ),
    Case(
        "remote_seat_heater_request",
        {"seat_position": 4, "level": 2},
        INFOTAINMENT,
        {"is_climate_on": True},
        {"seat_heaters": {"4": 2}},
        {"seat_position": 4, "level": 2},
    ),
    Case(
        "remote_seat_cooler_request",
        {"seat_position": 1, "seat_cooler_level": 3},
        INFOTAINMENT,
        {"equipment": {"seat_cooling": True}},
        {},
        {"seat_position": 1, "seat_cooler_level": 3},
    ),
    Case(
        "remote_auto_seat_climate_request",
        {"auto_seat_position": 2, "auto_climate_on": True},
        INFOTAINMENT,
        {},
        {},
        {"auto_seat_position": 2, "auto_climate_on": True},
    ),
    Case(
        "remote_steering_wheel_heat_level_request",
        {"level": 1},
        INFOTAINMENT,
        {"equipment": {"steering_wheel_heat_levels": True}},
        {"steering_wheel_heater": True},
        {"level": 1},
    ),
    Case(
        "remote_auto_steering_wheel_heat_climate_request",
        {"on": True},
        INFOTAINMENT,
        {"equipment": {"steering_wheel_heat_levels": True}},
        {},
        {"on": True},
    ),
    Case("set_cop_temp", {"cop_temp": 0}, INFOTAINMENT, {}, {"cop_activation_temperature": "Low"}, {"cop_temp": 0}),
    Case(
        "set_climate_keeper_mode",
        {"climate_keeper_mode": 2},
        INFOTAINMENT,
        {},
        {"climate_keeper_mode": "dog", "is_climate_on": True},
        {"climate_keeper_mode": 2},
    ),
    Case("window_control", {"command": "vent"}, INFOTAINMENT, {}, {"windows_vented": True}, {"command": "vent"}),
    Case("remote_boombox", {"sound": 2000}, INFOTAINMENT, {}, {}, {"sound": 2000}),
    Case(
        "set_valet_mode",
        {"on": True, "password": "1234"},
        INFOTAINMENT,
        {},
        {"valet_mode": True},
        {"on": True, "password": "1234"},
    ),
    Case("reset_valet_pin", {}, INFOTAINMENT, {}, {}),
    Case("speed_limit_activate", {"pin": "1234"}, INFOTAINMENT, {}, {"speed_limit_active": True}, {"pin": "1234"}),
    Case(
        "speed_limit_deactivate",
        {"pin": "1234"},
        INFOTAINMENT,
        {},
        {"speed_limit_active": False},
        {"pin": "1234"},
        first=(("speed_limit_activate", {"pin": "1234"}),),
    ),
    Case("speed_limit_set_limit", {"limit_mph": 70}, INFOTAINMENT, {}, {"speed_limit_mph": 70.0}, {"limit_mph": 70.0}),
    Case("speed_limit_clear_pin", {"pin": "1234"}, INFOTAINMENT, {}, {"speed_limit_active": False}, {"pin": "1234"}),
    Case("speed_limit_clear_pin_admin", {}, INFOTAINMENT, {}, {"speed_limit_active": False}),
    Case("set_pin_to_drive", {"on": True}, INFOTAINMENT, {}, {"pin_to_drive": True}, {"on": True, "password": ""}),
    Case("reset_pin_to_drive_pin", {}, INFOTAINMENT, {}, {"pin_to_drive": False}),
    Case("clear_pin_to_drive_admin", {}, INFOTAINMENT, {}, {"pin_to_drive": False}),
    Case("guest_mode", {"enable": True}, INFOTAINMENT, {}, {"guest_mode": True}, {"enable": True}),
    Case("erase_user_data", {}, INFOTAINMENT, {}, {}),
    Case("media_toggle_playback", {}, INFOTAINMENT, {}, {"media_playing": True}),
    Case("media_next_track", {}, INFOTAINMENT, {}, {}),
    Case("media_prev_track", {}, INFOTAINMENT, {}, {}),
    Case("media_next_fav", {}, INFOTAINMENT, {}, {}),
    Case("media_prev_fav", {}, INFOTAINMENT, {}, {}),
    Case("media_volume_up", {}, INFOTAINMENT, {}, {}, first=(("adjust_volume", {"volume": 3.0}),)),
    Case("media_volume_down", {}, INFOTAINMENT, {}, {}, first=(("adjust_volume", {"volume": 3.0}),)),
    Case("adjust_volume", {"volume": 6.5}, INFOTAINMENT, {}, {"audio_volume": 6.5}, {"volume": 6.5}),
    Case(
        "navigation_gps_request",
        {"lat": 48.5, "lon": 2.25},
        INFOTAINMENT,
        {},
        {"navigation_destination": "48.500000,2.250000"},
        {"lat": 48.5, "lon": 2.25},
    ),
    Case(
        "navigation_sc_request",
        {"id": 1234},
        INFOTAINMENT,
        {},
        {"navigation_destination": "Supercharger 1234"},
        {"id": 1234},
    ),
    Case(
        "navigation_waypoints_request",
        {"waypoints": "refId:A,refId:B"},
        INFOTAINMENT,
        {},
        {"navigation_destination": "refId:B"},
        {"waypoints": "refId:A,refId:B"},
    ),
    Case(
        "set_vehicle_name",
        {"vehicle_name": "Blue"},
        INFOTAINMENT,
        {},
        {"display_name": "Blue"},
        {"vehicle_name": "Blue"},
    ),
    Case("schedule_software_update", {"offset_sec": 600}, INFOTAINMENT, {}, {}, {"offset_sec": 600}),
    Case(
        "cancel_software_update",
        {},
        INFOTAINMENT,
        {},
        {"software_update_scheduled_at": None},
        first=(("schedule_software_update", {"offset_sec": 600}),),
    ),
]
# Cars the simulator builds have no HomeLink module nor a sunroof: the message is read, and the car says so.
MISSING_EQUIPMENT = (
    ("trigger_homelink", {"lat": 37.5, "lon": -122.25, "token": "t"}),
    ("sun_roof_control", {"state": "vent"}),
)


class TestCatalogue:
    def test_every_catalogue_command_has_a_case_here(self) -> None:
        assert {case.name for case in CASES} | {"ping"} | {name for name, _ in MISSING_EQUIPMENT} == set(
            actions.BUILDERS
        )

    def test_the_catalogue_spans_both_domains(self) -> None:
        domains = {actions.build(case.name, case.params).domain for case in CASES}
        assert domains == {VCSEC, INFOTAINMENT}

    @pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
    async def test_the_command_runs_on_the_car(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
        case: Case,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        if case.before:
            await patch_vehicle(sim, env.vin, **case.before)
        for name, params in case.first:
            await commander.execute(env.api, env.vin, name, params)
        assert actions.build(case.name, case.params).domain == case.domain
        result = await commander.execute(env.api, env.vin, case.name, case.params)
        assert (result.result, result.signed) == (True, True)
        state = await vehicle_state(sim, env.vin)
        for key, value in case.after.items():
            assert state[key] == value, key
        last = state["executed_commands"][-1]
        assert (last["name"], last["via"], last["result"]) == (case.name, "signed", True)
        assert last["params"] == case.sim_params
        assert last["client_id"] == env.client_id

    async def test_the_front_trunk(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        await env.commander(clock=world.now).execute(env.api, env.vin, "actuate_trunk", {"which_trunk": "front"})
        assert (await vehicle_state(sim, env.vin))["front_trunk_open"] is True

    async def test_a_ping_is_answered_without_running_anything(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        result = await env.commander(clock=world.now).execute(env.api, env.vin, "ping", {"ping_id": 9})
        assert (result.result, result.signed) == (True, True)
        assert await executed(sim, env.vin) == []

    def test_parameters_are_checked_before_anything_is_signed(self) -> None:
        with pytest.raises(actions.InvalidCommandParams, match="percent"):
            actions.build("set_charge_limit", {"percent": 101})
        with pytest.raises(actions.InvalidCommandParams, match="which_trunk"):
            actions.build("actuate_trunk", {"which_trunk": "side"})
        with pytest.raises(actions.UnsupportedSignedCommand):
            actions.build("navigation_request", {})


class TestRefusals:
    @pytest.mark.parametrize(("name", "params"), MISSING_EQUIPMENT, ids=[name for name, _ in MISSING_EQUIPMENT])
    async def test_a_car_without_the_equipment_reads_the_message_and_says_so(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
        name: str,
        params: dict[str, Any],
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        with pytest.raises(CommandRefused) as refused:
            await env.commander(clock=world.now).execute(env.api, env.vin, name, params)
        assert refused.value.reason == "not_supported"
        last = (await executed(sim, env.vin))[-1]
        assert (last["name"], last["via"], last["params"]) == (name, "signed", params)

    async def test_an_infotainment_refusal_carries_the_car_reason(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        with pytest.raises(CommandRefused) as refused:
            await commander.execute(env.api, env.vin, "set_charge_limit", {"percent": 80})
        assert refused.value.reason == "already_set"  # the same words as the REST answer
        with pytest.raises(CommandRefused) as unplugged:
            await commander.execute(env.api, env.vin, "charge_start", {})
        assert unplugged.value.reason == "disconnected"
        assert [c["result"] for c in await executed(sim, env.vin)] == [False, False]

    async def test_a_key_whose_role_forbids_the_command(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="charging_manager")
        commander = env.commander(clock=world.now)
        await commander.execute(env.api, env.vin, "set_charge_limit", {"percent": 70})
        with pytest.raises(CommandRefused) as refused:
            await commander.execute(env.api, env.vin, "honk_horn", {})
        assert refused.value.reason == "vehicle rejected request: MESSAGEFAULT_ERROR_INSUFFICIENT_PRIVILEGES"
        assert [c["name"] for c in await executed(sim, env.vin)] == ["set_charge_limit"]
