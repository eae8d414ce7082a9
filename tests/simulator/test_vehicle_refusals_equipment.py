"""A car refuses a command for what it is not fitted with (`not_supported`, `invalid_seat`), as its model usually
is or as the control API has set it up, and `vehicle_config` says what it has."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.simulator.car_calls import answer, data, done, inspect, new_car, patch, refused
from tests.simulator.factories import SimFactory

WHAT_A_MODEL_3_LACKS = [
    ("sun_roof_control", {"state": "vent"}),
    ("remote_seat_cooler_request", {"seat_position": 1, "seat_cooler_level": 2}),
    ("remote_steering_wheel_heat_level_request", {"level": 1}),
    ("remote_auto_steering_wheel_heat_climate_request", {"on": True}),
]


async def config(sim: httpx.AsyncClient, car: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = (await data(sim, car, "vehicle_config"))["vehicle_config"]
    return result


class TestModelDefaults:
    @pytest.mark.parametrize(("name", "body"), WHAT_A_MODEL_3_LACKS, ids=[n for n, _ in WHAT_A_MODEL_3_LACKS])
    async def test_a_model_3_refuses_what_it_lacks(
        self, factory: SimFactory, sim: httpx.AsyncClient, name: str, body: dict[str, Any]
    ) -> None:
        car = await new_car(factory)
        await done(sim, car, "auto_conditioning_start")
        assert await refused(sim, car, name, body) == "not_supported"

    async def test_a_model_s_has_cooled_seats_and_wheel_heat_levels(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        car = await new_car(factory, model="Model S")
        await done(sim, car, "auto_conditioning_start")
        await done(sim, car, "remote_seat_cooler_request", {"seat_position": 1, "seat_cooler_level": 2})
        await done(sim, car, "remote_steering_wheel_heat_level_request", {"level": 1})
        climate = (await data(sim, car, "climate_state"))["climate_state"]
        assert (climate["seat_fan_front_left"], climate["steering_wheel_heat_level"]) == (2, 1)
        assert climate["steering_wheel_heater"] is True
        assert (await config(sim, car))["has_seat_cooling"] is True

    async def test_vehicle_config_of_a_model_3(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        car = await new_car(factory)
        seen = await config(sim, car)
        assert (seen["has_seat_cooling"], seen["sun_roof_installed"], seen["third_row_seats"]) == (False, False, "None")
        assert "seat_fan_front_left" not in (await data(sim, car, "climate_state"))["climate_state"]

    @pytest.mark.parametrize(("model", "reason"), [("Model Y", "invalid_seat"), ("Model X", "")])
    async def test_third_row_seat_heaters_only_with_a_third_row(
        self, factory: SimFactory, sim: httpx.AsyncClient, model: str, reason: str
    ) -> None:
        car = await new_car(factory, model=model)
        await done(sim, car, "auto_conditioning_start")
        result = await answer(sim, car, "remote_seat_heater_request", {"seat_position": 7, "level": 3})
        assert result == {"result": not reason, "reason": reason}


class TestSetThroughTheControlApi:
    async def test_a_sunroof_fitted_by_patch(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        car = await new_car(factory)
        seen = await patch(sim, car, equipment={"sunroof": True})
        assert seen["equipment"]["sunroof"] is True
        assert seen["equipment"]["seat_cooling"] is False  # the rest as the model has it
        await done(sim, car, "sun_roof_control", {"state": "vent"})
        state = (await data(sim, car, "vehicle_state"))["vehicle_state"]
        assert (state["sun_roof_state"], state["sun_roof_percent_open"]) == ("vent", 15)
        assert (await config(sim, car))["sun_roof_installed"] is True

    async def test_a_car_without_a_heated_wheel(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        car = await new_car(factory, equipment={"steering_wheel_heater": False})
        await done(sim, car, "auto_conditioning_start")
        assert await refused(sim, car, "remote_steering_wheel_heater_request", {"on": True}) == "not_supported"

    async def test_without_rear_seat_heaters_the_rear_seats_are_invalid(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        car = await new_car(factory)
        await patch(sim, car, equipment={"rear_seat_heaters": False})
        await done(sim, car, "auto_conditioning_start")
        assert await refused(sim, car, "remote_seat_heater_request", {"seat_position": 2, "level": 1}) == "invalid_seat"
        await done(sim, car, "remote_seat_heater_request", {"seat_position": 0, "level": 1})
        assert (await config(sim, car))["rear_seat_heaters"] == 0

    async def test_an_unknown_equipment_field_is_422(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        car = await new_car(factory)
        response = await sim.patch(f"/sim/vehicles/{car['vehicle']['vin']}", json={"equipment": {"jetpack": True}})
        assert response.status_code == 422
        assert (await inspect(sim, car))["equipment"]["sunroof"] is False


class TestClimateOff:
    async def test_seat_and_wheel_heat_need_the_climate_on(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        car = await new_car(factory)
        assert await refused(sim, car, "remote_seat_heater_request", {"seat_position": 0, "level": 3}) == "climate_off"
        assert await refused(sim, car, "remote_steering_wheel_heater_request", {"on": True}) == "climate_off"
        await done(sim, car, "remote_seat_heater_request", {"seat_position": 0, "level": 0})  # off is always fine
        await done(sim, car, "auto_conditioning_start")
        await done(sim, car, "remote_seat_heater_request", {"seat_position": 0, "level": 3})
        assert (await data(sim, car, "climate_state"))["climate_state"]["seat_heater_left"] == 3

    async def test_a_bad_parameter_is_still_400_before_any_refusal(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        car = await new_car(factory)
        path = f"{car['base']}/vehicles/{car['vehicle']['vin']}/command/sun_roof_control"
        response = await sim.post(path, json={"state": "open"}, headers=car["headers"])
        assert response.status_code == 400
        assert response.json()["response"] == {"result": False, "reason": "invalid state param"}
