"""Charge schedules (`add_charge_schedule`) run on the simulated clock: the car starts charging at the start, stops at
the end, on the schedule's days and at its place only, and a one-time schedule runs once."""

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
    command,
    data,
    done,
    inspect,
    new_car,
    patch,
)
from tests.simulator.factories import SimFactory

CHARGER_KW = 7.68  # the default car's 32 A x 240 V


@pytest.fixture
def world(token_issuer: TokenIssuer) -> World:
    """Monday 00:00 UTC, and time moves only when the test moves it."""
    return World(seed=7, issuer=token_issuer, clock=SimClock(MONDAY_MIDNIGHT, realtime=False))


def window(days: str, start: int | None, end: int | None, **extra: Any) -> dict[str, Any]:
    """A schedule at the car's home; `start`/`end` are minutes after midnight, None for no start or no end."""
    body: dict[str, Any] = {
        "days_of_week": days,
        "enabled": True,
        "start_enabled": start is not None,
        "end_enabled": end is not None,
        **HOME,
        **extra,
    }
    if start is not None:
        body["start_time"] = start
    if end is not None:
        body["end_time"] = end
    return body


async def charging_state(sim: httpx.AsyncClient, car: dict[str, Any]) -> str:
    state: str = (await inspect(sim, car))["charging_state"]
    return state


async def schedules(sim: httpx.AsyncClient, car: dict[str, Any]) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (await data(sim, car, "charge_schedule_data"))["charge_schedule_data"][
        "charge_schedules"
    ]
    return listed


@pytest.fixture
async def plugged(factory: SimFactory) -> dict[str, Any]:
    return await new_car(factory, plugged_in=True, battery_level=40)


class TestWindow:
    async def test_charges_from_the_start_to_the_end(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("Monday", 60, 120))
        await factory.advance(59 * MINUTE)
        assert await charging_state(sim, plugged) == "Stopped"
        await factory.advance(2 * MINUTE)
        assert (await data(sim, plugged, "charge_state"))["charge_state"]["charging_state"] == "Charging"
        await factory.advance(HOUR)
        car = await inspect(sim, plugged)
        assert car["charging_state"] == "Stopped"
        assert car["charge_energy_added"] == pytest.approx(CHARGER_KW, abs=0.01)  # exactly the hour of the window

    async def test_wakes_a_sleeping_car_to_charge(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("All", 120, None))
        await factory.advance(HOUR)
        assert (await inspect(sim, plugged))["state"] == "asleep"
        await factory.advance(HOUR + MINUTE)
        car = await inspect(sim, plugged)
        assert (car["state"], car["charging_state"]) == ("online", "Charging")

    async def test_a_window_past_midnight_ends_the_next_morning(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await patch(sim, plugged, battery_level=20)
        await done(sim, plugged, "add_charge_schedule", window("Monday", 23 * 60, 60))
        await factory.advance(23 * HOUR + MINUTE)
        assert await charging_state(sim, plugged) == "Charging"
        await factory.advance(HOUR)  # Tuesday 00:01: still Monday's window
        assert await charging_state(sim, plugged) == "Charging"
        await factory.advance(HOUR)
        assert await charging_state(sim, plugged) == "Stopped"
        assert (await inspect(sim, plugged))["charge_energy_added"] == pytest.approx(2 * CHARGER_KW, abs=0.01)

    async def test_an_end_alone_stops_whatever_charge_is_under_way(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("All", None, 2 * 60))
        await done(sim, plugged, "charge_start")
        await factory.advance(2 * HOUR - MINUTE)
        assert await charging_state(sim, plugged) == "Charging"
        await factory.advance(2 * MINUTE)
        assert await charging_state(sim, plugged) == "Stopped"

    async def test_stops_at_the_limit_before_the_end(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await patch(sim, plugged, battery_level=79)
        await done(sim, plugged, "add_charge_schedule", window("All", 60, 180))
        await factory.advance(2 * HOUR)
        car = await inspect(sim, plugged)
        assert (car["charging_state"], car["battery_level"]) == ("Complete", 80)


class TestInsideAWindow:
    async def test_a_car_plugged_in_during_the_window_charges_at_once(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        car = await new_car(factory, battery_level=40)
        await done(sim, car, "add_charge_schedule", window("All", 60, 180))
        await factory.advance(2 * HOUR)
        assert (await inspect(sim, car))["state"] == "asleep"
        await patch(sim, car, plugged_in=True)
        await factory.advance(MINUTE)
        seen = await inspect(sim, car)
        assert (seen["charging_state"], seen["state"]) == ("Charging", "online")
        await factory.advance(HOUR)
        assert await charging_state(sim, car) == "Stopped"

    async def test_plugged_in_outside_the_window_it_waits(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        car = await new_car(factory, battery_level=40)
        await done(sim, car, "add_charge_schedule", window("All", 60, 180))
        await factory.advance(4 * HOUR)
        await patch(sim, car, plugged_in=True)
        await factory.advance(MINUTE)
        assert await charging_state(sim, car) == "Stopped"

    async def test_a_window_added_while_it_is_open_starts_the_charge(
        self, plugged: dict[str, Any], sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("Sunday,Monday", 23 * 60, 60))  # since Sunday 23:00
        assert await charging_state(sim, plugged) == "Charging"


class TestWhenItDoesNothing:
    async def test_on_a_day_that_is_not_its_own(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("Tuesday,Thursday", 60, 120))
        await factory.advance(61 * MINUTE)
        assert await charging_state(sim, plugged) == "Stopped"  # Monday
        await factory.advance(24 * HOUR)
        assert await charging_state(sim, plugged) == "Charging"  # Tuesday

    async def test_away_from_its_place(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("All", 60, 120, lat=48.8584, lon=2.2945))
        await factory.advance(61 * MINUTE)
        assert await charging_state(sim, plugged) == "Stopped"

    async def test_when_switched_off(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("All", 60, 120, enabled=False))
        await factory.advance(61 * MINUTE)
        assert await charging_state(sim, plugged) == "Stopped"

    async def test_for_a_car_that_is_not_plugged_in(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        car = await new_car(factory, battery_level=40)
        await done(sim, car, "add_charge_schedule", window("All", 60, 120))
        await factory.advance(61 * MINUTE)
        assert await charging_state(sim, car) == "Disconnected"

    async def test_once_removed(self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient) -> None:
        await done(sim, plugged, "add_charge_schedule", window("All", 60, 120))
        await done(sim, plugged, "remove_charge_schedule", {"id": (await schedules(sim, plugged))[0]["id"]})
        await factory.advance(61 * MINUTE)
        assert await charging_state(sim, plugged) == "Stopped"


class TestOneTime:
    async def test_a_start_runs_once_then_the_schedule_is_switched_off(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("All", 60, None, one_time=True))
        await factory.advance(61 * MINUTE)
        assert await charging_state(sim, plugged) == "Charging"
        [spent] = await schedules(sim, plugged)
        assert (spent["one_time"], spent["enabled"]) == (True, False)
        await done(sim, plugged, "charge_stop")
        await factory.advance(24 * HOUR)
        assert await charging_state(sim, plugged) == "Stopped"

    async def test_a_window_is_spent_at_its_end(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await done(sim, plugged, "add_charge_schedule", window("All", 60, 120, one_time=True))
        await factory.advance(61 * MINUTE)
        assert (await schedules(sim, plugged))[0]["enabled"] is True
        await factory.advance(HOUR)
        assert await charging_state(sim, plugged) == "Stopped"
        assert (await schedules(sim, plugged))[0]["enabled"] is False
        await factory.advance(24 * HOUR)
        assert await charging_state(sim, plugged) == "Stopped"

    async def test_a_long_jump_of_the_clock_runs_it_once(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await patch(sim, plugged, battery_level=20)
        await done(sim, plugged, "add_charge_schedule", window("All", 60, 90, one_time=True))
        await factory.advance(7 * 24 * HOUR)
        assert (await inspect(sim, plugged))["charge_energy_added"] == pytest.approx(CHARGER_KW / 2, abs=0.01)


class TestAsTeslaShowsThem:
    async def test_charge_schedule_data(self, plugged: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await done(sim, plugged, "add_charge_schedule", window("Monday,Thursday", 60, 120, name="Night"))
        section = (await data(sim, plugged, "charge_schedule_data"))["charge_schedule_data"]
        assert section["charge_schedules"] == [
            {
                "id": 1,
                "name": "Night",
                "days_of_week": 2 | 16,  # Tesla's bitmask, Sunday 1 to Saturday 64
                "start_enabled": True,
                "start_time": 60,
                "end_enabled": True,
                "end_time": 120,
                "one_time": False,
                "enabled": True,
                "latitude": HOME["lat"],
                "longitude": HOME["lon"],
            }
        ]
        assert (section["max_num_charge_schedules"], section["next_schedule"]) == (10, True)
        assert isinstance(section["timestamp"], int)

    async def test_an_id_modifies_that_schedule(self, plugged: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await done(sim, plugged, "add_charge_schedule", window("All", 60, 120))
        await done(sim, plugged, "add_charge_schedule", window("Weekdays", 90, 120, id=1))
        await done(sim, plugged, "add_charge_schedule", window("All", 30, None))
        listed = await schedules(sim, plugged)
        assert [(s["id"], s["days_of_week"], s["start_time"]) for s in listed] == [(1, 62, 90), (2, 127, 30)]

    async def test_days_as_the_bitmask_are_400_as_at_tesla(
        self, plugged: dict[str, Any], sim: httpx.AsyncClient
    ) -> None:
        response = await command(sim, plugged, "add_charge_schedule", {**window("All", 60, 120), "days_of_week": 127})
        assert response.status_code == 400
        assert response.json()["response"] == {"result": False, "reason": "invalid days_of_week param"}

    @pytest.mark.parametrize("days", ["Tue", "Funday", "Monday,,Friday"])
    async def test_a_day_name_tesla_does_not_know_is_400(
        self, plugged: dict[str, Any], sim: httpx.AsyncClient, days: str
    ) -> None:
        response = await command(sim, plugged, "add_charge_schedule", window(days, 60, 120))
        assert response.status_code == 400
        assert response.json()["response"]["reason"].startswith("unrecognized day name: ")
        assert await schedules(sim, plugged) == []
