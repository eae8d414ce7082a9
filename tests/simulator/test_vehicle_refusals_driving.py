"""A car on the road refuses what needs it in park, with the reason the car gives; parked again, it obeys. A drive
brings an offline car online: driving, it finds a network."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.simulator.car_calls import HOUR, data, done, drive_off, inspect, new_car, refused
from tests.simulator.factories import SimFactory

IN_PARK_ONLY = [
    ("actuate_trunk", {"which_trunk": "rear"}, "not_parked"),
    ("actuate_trunk", {"which_trunk": "front"}, "not_parked"),
    ("set_sentry_mode", {"on": True}, "not_parked"),
    ("honk_horn", {}, "ingear"),
    ("flash_lights", {}, "ingear"),
    ("window_control", {"command": "vent"}, "not_in_park"),
    ("charge_port_door_open", {}, "not allowed"),
    ("set_valet_mode", {"on": True, "password": "1234"}, "not_in_park"),
    ("speed_limit_activate", {"pin": "1234"}, "not_in_park"),
    ("speed_limit_set_limit", {"limit_mph": 70}, "not_in_park"),
    ("set_climate_keeper_mode", {"climate_keeper_mode": 2}, "not_in_park"),
    ("schedule_software_update", {"offset_sec": 600}, "not_in_park"),
]


@pytest.fixture
async def car(factory: SimFactory) -> dict[str, Any]:
    return await new_car(factory)


class TestOnTheRoad:
    @pytest.mark.parametrize(("name", "body", "reason"), IN_PARK_ONLY, ids=[f"{n}-{r}" for n, _, r in IN_PARK_ONLY])
    async def test_refused_with_the_cars_reason(
        self, car: dict[str, Any], sim: httpx.AsyncClient, name: str, body: dict[str, Any], reason: str
    ) -> None:
        before = await inspect(sim, car)
        await drive_off(sim, car)
        assert await refused(sim, car, name, body) == reason
        after = await inspect(sim, car)
        for key in ("front_trunk_open", "rear_trunk_open", "sentry_mode", "charge_port_door_open", "valet_pin"):
            assert after[key] == before[key], key
        last = after["executed_commands"][-1]
        assert (last["name"], last["result"], last["reason"]) == (name, False, reason)

    async def test_what_does_not_need_park_still_works(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await drive_off(sim, car)
        for name, body in (
            ("door_lock", {}),
            ("auto_conditioning_start", {}),
            ("set_temps", {"driver_temp": 20, "passenger_temp": 20}),
            ("set_sentry_mode", {"on": False}),
            ("set_valet_mode", {"on": False}),
            ("media_toggle_playback", {}),
        ):
            await done(sim, car, name, body)

    async def test_parked_again_the_car_obeys(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await drive_off(sim, car)
        await factory.advance(HOUR + 60)  # arrived
        await done(sim, car, "actuate_trunk", {"which_trunk": "rear"})
        await done(sim, car, "window_control", {"command": "vent"})
        state = (await data(sim, car, "vehicle_state"))["vehicle_state"]
        assert (state["rt"], state["fd_window"]) == (1, 1)


class TestOfflineCarDriving:
    async def test_a_drive_brings_it_online(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        car = await new_car(factory, state="offline")
        await drive_off(sim, car)
        assert (await inspect(sim, car))["state"] == "online"
        drive = (await data(sim, car, "drive_state"))["drive_state"]
        assert drive["shift_state"] == "D"
