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
]


class TestCatalogue:
    def test_every_catalogue_command_has_a_case_here(self) -> None:
        assert {case.name for case in CASES} | {"ping"} == set(actions.BUILDERS)

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
