"""Speed limit mode and valet mode keep the PIN they were first given: another one is refused with the car's
reason until the PIN is cleared."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.simulator.car_calls import data, done, inspect, new_car, refused
from tests.simulator.factories import SimFactory


@pytest.fixture
async def car(factory: SimFactory) -> dict[str, Any]:
    return await new_car(factory)


async def speed_limit_mode(sim: httpx.AsyncClient, car: dict[str, Any]) -> dict[str, Any]:
    mode: dict[str, Any] = (await data(sim, car, "vehicle_state"))["vehicle_state"]["speed_limit_mode"]
    return mode


class TestSpeedLimitPin:
    async def test_the_first_pin_becomes_the_cars(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        assert (await speed_limit_mode(sim, car))["pin_code_set"] is False
        await done(sim, car, "speed_limit_activate", {"pin": "1234"})
        mode = await speed_limit_mode(sim, car)
        assert (mode["active"], mode["pin_code_set"]) == (True, True)
        assert await refused(sim, car, "speed_limit_deactivate", {"pin": "9999"}) == "incorrect_pin"
        assert (await speed_limit_mode(sim, car))["active"] is True
        await done(sim, car, "speed_limit_deactivate", {"pin": "1234"})
        assert (await speed_limit_mode(sim, car))["active"] is False
        assert await refused(sim, car, "speed_limit_activate", {"pin": "9999"}) == "incorrect_pin"

    async def test_the_limit_changes_only_while_the_mode_is_off(
        self, car: dict[str, Any], sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "speed_limit_set_limit", {"limit_mph": 70})
        await done(sim, car, "speed_limit_activate", {"pin": "1234"})
        assert await refused(sim, car, "speed_limit_set_limit", {"limit_mph": 60}) == "speed_limit_mode_active"
        assert (await speed_limit_mode(sim, car))["current_limit_mph"] == 70

    @pytest.mark.parametrize("limit", [49, 121])
    async def test_a_limit_outside_50_to_120_is_refused(
        self, car: dict[str, Any], sim: httpx.AsyncClient, limit: int
    ) -> None:
        assert await refused(sim, car, "speed_limit_set_limit", {"limit_mph": limit}) == "invalid_limit"

    async def test_clearing_the_pin_needs_it_and_the_mode_off(
        self, car: dict[str, Any], sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "speed_limit_activate", {"pin": "1234"})
        assert await refused(sim, car, "speed_limit_clear_pin", {"pin": "1234"}) == "speed_limit_mode_active"
        await done(sim, car, "speed_limit_deactivate", {"pin": "1234"})
        assert await refused(sim, car, "speed_limit_clear_pin", {"pin": "0000"}) == "incorrect_pin"
        await done(sim, car, "speed_limit_clear_pin", {"pin": "1234"})
        assert (await speed_limit_mode(sim, car))["pin_code_set"] is False
        await done(sim, car, "speed_limit_activate", {"pin": "5678"})  # a new PIN now

    async def test_the_admin_clear_needs_no_pin(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await done(sim, car, "speed_limit_activate", {"pin": "1234"})
        await done(sim, car, "speed_limit_clear_pin_admin")
        mode = await speed_limit_mode(sim, car)
        assert (mode["active"], mode["pin_code_set"]) == (False, False)


class TestValetPin:
    async def test_another_password_is_refused_until_the_pin_is_reset(
        self, car: dict[str, Any], sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "set_valet_mode", {"on": True, "password": "1234"})
        await done(sim, car, "set_valet_mode", {"on": False})  # over the API, off takes no PIN
        assert await refused(sim, car, "set_valet_mode", {"on": True, "password": "5678"}) == "invalid_password"
        assert (await data(sim, car, "vehicle_state"))["vehicle_state"]["valet_mode"] is False
        await done(sim, car, "set_valet_mode", {"on": True, "password": "1234"})
        assert await refused(sim, car, "reset_valet_pin") == "valet_mode_on"
        await done(sim, car, "set_valet_mode", {"on": False})
        await done(sim, car, "reset_valet_pin")
        await done(sim, car, "set_valet_mode", {"on": True, "password": "5678"})
        assert (await inspect(sim, car))["valet_pin"] == "5678"

    async def test_sentry_mode_waits_for_valet_mode_to_end(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await done(sim, car, "set_valet_mode", {"on": True, "password": "1234"})
        assert await refused(sim, car, "set_sentry_mode", {"on": True}) == "valet_mode"
        await done(sim, car, "set_valet_mode", {"on": False})
        await done(sim, car, "set_sentry_mode", {"on": True})
