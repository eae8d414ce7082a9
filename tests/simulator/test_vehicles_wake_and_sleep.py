"""Waking a car up, its wake rate limit, and falling asleep when nothing keeps it awake."""

from __future__ import annotations

from typing import Any

import httpx

from tests.simulator.factories import SimFactory


async def wake(sim: httpx.AsyncClient, setup: dict[str, Any]) -> httpx.Response:
    return await sim.post(f"{setup['base']}/vehicles/{setup['vehicle']['vin']}/wake_up", headers=setup["headers"])


async def state_of(sim: httpx.AsyncClient, setup: dict[str, Any]) -> str:
    response = await sim.get(f"{setup['base']}/vehicles/{setup['vehicle']['vin']}", headers=setup["headers"])
    state: str = response.json()["response"]["state"]
    return state


class TestWakeUp:
    async def test_asleep_car_answers_asleep_then_comes_online_after_the_delay(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(state="asleep")
        response = await wake(sim, setup)
        assert response.status_code == 200
        assert response.json()["response"]["state"] == "asleep"
        assert response.json()["response"]["vin"] == setup["vehicle"]["vin"]
        assert await state_of(sim, setup) == "asleep"
        await factory.advance(setup["vehicle"]["wake_delay_seconds"] - 2)
        assert await state_of(sim, setup) == "asleep"
        await factory.advance(3)
        assert await state_of(sim, setup) == "online"

    async def test_a_second_wake_does_not_push_the_wake_time_back(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(state="asleep")
        await wake(sim, setup)
        await factory.advance(6)
        await wake(sim, setup)
        await factory.advance(5)
        assert await state_of(sim, setup) == "online"

    async def test_online_car_answers_online(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        assert (await wake(sim, setup)).json()["response"]["state"] == "online"

    async def test_offline_car_stays_offline(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="offline")
        assert (await wake(sim, setup)).json()["response"]["state"] == "offline"
        await factory.advance(120)
        assert await state_of(sim, setup) == "offline"

    async def test_needs_vehicle_device_data(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="asleep", scopes="openid vehicle_charging_cmds")
        response = await wake(sim, setup)
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"

    async def test_is_billed_as_a_wake(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="asleep")
        await wake(sim, setup)
        totals = (await sim.get("/sim/usage")).json()["totals"]
        assert totals["wakes"] == 1
        assert totals["data"] == 0


class TestWakeRateLimit:
    async def test_three_a_minute_then_429_with_retry_after(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="asleep")
        first = await wake(sim, setup)
        assert first.headers["RateLimit-Limit"] == "3"
        assert first.headers["RateLimit-Remaining"] == "2"
        for _ in range(2):
            assert (await wake(sim, setup)).status_code == 200
        refused = await wake(sim, setup)
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        assert refused.json()["response"] is None
        await factory.advance(61)
        assert (await wake(sim, setup)).status_code == 200

    async def test_limit_is_per_vehicle(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="asleep")
        other = await factory.vehicle(setup["account"]["id"], state="asleep")
        for _ in range(3):
            await wake(sim, setup)
        response = await sim.post(f"{setup['base']}/vehicles/{other['vin']}/wake_up", headers=setup["headers"])
        assert response.status_code == 200


class TestAutoSleep:
    async def test_idle_car_falls_asleep_after_sleep_after_seconds(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup()
        idle = setup["vehicle"]["sleep_after_seconds"]
        await factory.advance(idle - 30)
        assert await state_of(sim, setup) == "online"
        await factory.advance(31)
        assert await state_of(sim, setup) == "asleep"

    async def test_polling_vehicle_data_keeps_it_awake(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        path = f"{setup['base']}/vehicles/{setup['vehicle']['vin']}/vehicle_data"
        for _ in range(4):
            await factory.advance(600)
            assert (await sim.get(path, headers=setup["headers"])).status_code == 200

    async def test_the_cheap_state_check_does_not_keep_it_awake(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup()
        await factory.advance(600)
        assert await state_of(sim, setup) == "online"
        await factory.advance(301)
        assert await state_of(sim, setup) == "asleep"

    async def test_climate_and_sentry_keep_it_awake(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        vin = setup["vehicle"]["vin"]
        for keep_awake in ({"is_climate_on": True}, {"sentry_mode": True}):
            await sim.patch(f"/sim/vehicles/{vin}", json={"state": "online", **keep_awake})
            await factory.advance(3600)
            assert await state_of(sim, setup) == "online"
            await sim.patch(f"/sim/vehicles/{vin}", json={key: False for key in keep_awake})

    async def test_a_woken_car_sleeps_again_when_left_alone(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="asleep")
        await wake(sim, setup)
        await factory.advance(11)
        assert await state_of(sim, setup) == "online"
        await factory.advance(setup["vehicle"]["sleep_after_seconds"] + 1)
        assert await state_of(sim, setup) == "asleep"
