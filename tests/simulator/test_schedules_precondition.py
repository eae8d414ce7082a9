"""Precondition schedules (`add_precondition_schedule`, and the older `set_scheduled_departure`) run on the
simulated clock: the climate comes on the car's lead time before the departure and goes off after it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fleetgate.simulator.auth.tokens import TokenIssuer
from fleetgate.simulator.clock import SimClock
from fleetgate.simulator.world import World
from tests.simulator.car_calls import (
    HOME,
    HOUR,
    MINUTE,
    MONDAY_MIDNIGHT,
    data,
    done,
    drive_off,
    inspect,
    new_car,
    patch,
    renew_token,
    wake,
)
from tests.simulator.factories import SimFactory

LEAD = 30 * MINUTE  # the car's default
HOLD = 10 * MINUTE  # how long after the departure the cabin is kept ready


@pytest.fixture
def world(token_issuer: TokenIssuer) -> World:
    """Monday 00:00 UTC, and time moves only when the test moves it."""
    return World(seed=7, issuer=token_issuer, clock=SimClock(MONDAY_MIDNIGHT, realtime=False))


@pytest.fixture
async def car(factory: SimFactory) -> dict[str, Any]:
    return await new_car(factory)


def departure(days: str, minute: int, **extra: Any) -> dict[str, Any]:
    return {"days_of_week": days, "enabled": True, "precondition_time": minute, **HOME, **extra}


async def climate_on(sim: httpx.AsyncClient, car: dict[str, Any]) -> bool:
    on: bool = (await inspect(sim, car))["is_climate_on"]
    return on


async def schedules(sim: httpx.AsyncClient, car: dict[str, Any]) -> list[dict[str, Any]]:
    section = (await data(sim, car, "preconditioning_schedule_data"))["preconditioning_schedule_data"]
    listed: list[dict[str, Any]] = section["precondition_schedules"]
    return listed


class TestDeparture:
    async def test_climate_from_the_lead_time_until_after_the_departure(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "add_precondition_schedule", departure("Monday", 8 * 60))
        await factory.advance(8 * HOUR - LEAD - MINUTE)
        assert await climate_on(sim, car) is False
        await factory.advance(2 * MINUTE)
        climate = (await data(sim, car, "climate_state"))["climate_state"]
        assert (climate["is_climate_on"], climate["is_preconditioning"]) == (True, True)
        await factory.advance(LEAD + HOLD - 2 * MINUTE)
        assert await climate_on(sim, car) is True
        await factory.advance(2 * MINUTE)
        assert await climate_on(sim, car) is False

    async def test_wakes_a_sleeping_car_and_warms_the_cabin(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await patch(sim, car, outside_temp=-5.0, inside_temp=-5.0)
        await done(sim, car, "add_precondition_schedule", departure("All", 7 * 60))
        await factory.advance(6 * HOUR)
        assert (await inspect(sim, car))["state"] == "asleep"
        await factory.advance(HOUR)  # 07:00, the departure
        seen = await inspect(sim, car)
        assert (seen["state"], seen["is_climate_on"]) == ("online", True)
        assert seen["inside_temp"] > 15.0

    async def test_the_lead_time_is_the_cars(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await patch(sim, car, precondition_lead_seconds=600)
        await done(sim, car, "add_precondition_schedule", departure("All", 8 * 60))
        await factory.advance(8 * HOUR - 11 * MINUTE)
        assert await climate_on(sim, car) is False
        await factory.advance(2 * MINUTE)
        assert await climate_on(sim, car) is True

    async def test_a_departure_closer_than_the_lead_is_prepared_for_at_once(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await factory.advance(7 * HOUR + 50 * MINUTE)
        await wake(factory, sim, car)
        await done(sim, car, "add_precondition_schedule", departure("All", 8 * 60))
        await factory.advance(MINUTE)
        assert await climate_on(sim, car) is True

    async def test_only_on_its_days(self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient) -> None:
        await done(sim, car, "add_precondition_schedule", departure("Sunday,Saturday", 8 * 60))
        await factory.advance(8 * HOUR - MINUTE)
        for _ in range(5):  # 07:59, Monday to Friday
            assert await climate_on(sim, car) is False
            await factory.advance(24 * HOUR)
        assert await climate_on(sim, car) is True  # Saturday

    async def test_not_away_from_its_place(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "add_precondition_schedule", departure("All", 8 * 60, lat=48.8584, lon=2.2945))
        await factory.advance(8 * HOUR)
        assert await climate_on(sim, car) is False

    async def test_a_car_on_the_road_at_the_departure_keeps_its_climate(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "add_precondition_schedule", departure("All", 8 * 60))
        await factory.advance(8 * HOUR - 5 * MINUTE)
        await drive_off(sim, car, km=100.0)  # two hours on the road
        await factory.advance(HOUR)
        assert await climate_on(sim, car) is True

    async def test_climate_turned_on_by_hand_is_left_alone(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "add_precondition_schedule", departure("All", 8 * 60))
        await factory.advance(7 * HOUR)
        await wake(factory, sim, car)
        await done(sim, car, "auto_conditioning_start")
        await factory.advance(2 * HOUR)
        assert await climate_on(sim, car) is True


class TestOneTime:
    async def test_runs_once_and_is_switched_off(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "add_precondition_schedule", departure("All", 8 * 60, one_time=True))
        await factory.advance(8 * HOUR)
        assert await climate_on(sim, car) is True
        await renew_token(factory, car)
        [spent] = await schedules(sim, car)
        assert (spent["one_time"], spent["enabled"]) == (True, False)
        await factory.advance(HOUR)
        assert await climate_on(sim, car) is False
        await factory.advance(23 * HOUR)  # Tuesday 08:00
        assert await climate_on(sim, car) is False


class TestOlderDeparturePlanner:
    async def test_set_scheduled_departure_with_preconditioning_conditions_the_cabin(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        body = {"enable": True, "departure_time": 8 * 60, "preconditioning_enabled": True}
        await done(sim, car, "set_scheduled_departure", body)
        await factory.advance(8 * HOUR - LEAD + MINUTE)
        assert await climate_on(sim, car) is True

    async def test_weekdays_only(self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient) -> None:
        body = {"enable": True, "departure_time": 8 * 60, "preconditioning_weekdays_only": True}
        await done(sim, car, "set_scheduled_departure", body)
        charge = (await data(sim, car, "charge_state"))["charge_state"]
        assert (charge["preconditioning_enabled"], charge["preconditioning_times"]) == (True, "weekdays")
        await factory.advance(8 * HOUR - LEAD + MINUTE)
        assert await climate_on(sim, car) is True  # Monday
        await factory.advance(5 * 24 * HOUR)
        assert await climate_on(sim, car) is False  # Saturday

    async def test_without_preconditioning_it_does_not(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, car, "set_scheduled_departure", {"enable": True, "departure_time": 8 * 60})
        await factory.advance(8 * HOUR)
        assert await climate_on(sim, car) is False


class TestAsTeslaShowsThem:
    async def test_preconditioning_schedule_data(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await done(sim, car, "add_precondition_schedule", departure("Weekdays", 450, name="Work"))
        section = (await data(sim, car, "preconditioning_schedule_data"))["preconditioning_schedule_data"]
        assert section["precondition_schedules"] == [
            {
                "id": 1,
                "name": "Work",
                "days_of_week": 62,
                "precondition_time": 450,
                "one_time": False,
                "enabled": True,
                "latitude": HOME["lat"],
                "longitude": HOME["lon"],
            }
        ]
        assert (section["max_num_precondition_schedules"], section["next_schedule"]) == (10, True)

    async def test_removed(self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient) -> None:
        await done(sim, car, "add_precondition_schedule", departure("All", 8 * 60))
        await done(sim, car, "remove_precondition_schedule", {"id": 1})
        assert await schedules(sim, car) == []
        await factory.advance(8 * HOUR)
        assert await climate_on(sim, car) is False
