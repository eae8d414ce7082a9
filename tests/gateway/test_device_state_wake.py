"""The wake policy of `GET /v1/devices/{id}/state`: a sleeping car is not woken unless the caller says so, and the
answer then carries the last known state; with `wake=true` it is woken once, however many callers ask. Also
Tesla's 408 during the read, and Tesla's 429."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from fleetgate.infra.runtime import Runtime
from fleetgate.simulator.world import World
from fleetgate.tesla.wake import WakePolicy
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import VEHICLE, VEHICLE_DATA, WAKE_UP, calls, read, sim_vehicle

ASLEEP = {"state": "asleep"}


async def set_car(sim: httpx.AsyncClient, vin: str, **fields: Any) -> None:
    response = await sim.patch(f"/sim/vehicles/{vin}", json=fields)
    assert response.status_code == 200, response.text


class TestNoWakeUnlessAsked:
    async def test_an_asleep_car_never_read_answers_409_without_waking_it(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect(vehicles=[ASLEEP])).vehicle
        error = (await read(tenant.client, car.id, 409))["error"]
        assert error["code"] == "vehicle_asleep"
        assert error["online_state"] == "asleep"
        assert error["woken"] is False
        assert error["last_known_state"] is None
        assert error["last_known_at"] is None
        assert error["age_seconds"] is None
        assert "no last known state" in error["message"]
        assert "`last_known_state`" not in error["message"]
        assert error["remedy"]["retry_with"] == "wake=true"
        assert "billed wake" in error["remedy"]["note"]

        counted = await calls(sim, tesla_app["client_id"])
        assert counted[VEHICLE] == 1  # the free check, and nothing else
        assert counted[WAKE_UP] == 0
        assert counted[VEHICLE_DATA] == 0
        truth = await sim_vehicle(sim, car.external_id)
        assert truth["state"] == "asleep"
        assert truth["wake_at"] is None

    async def test_the_answer_carries_the_last_known_state_and_its_age(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        known = await read(tenant.client, car.id)
        await set_car(sim, car.external_id, state="offline")

        error = (await read(tenant.client, car.id, 409, max_age=0))["error"]
        assert error["code"] == "vehicle_asleep"
        assert error["online_state"] == "offline"
        assert error["last_known_state"] == known["data"]
        assert "is in `last_known_state`" in error["message"]
        assert error["last_known_at"] == known["fetched_at"]
        assert error["age_seconds"] >= 0
        counted = await calls(sim, tesla_app["client_id"])
        assert (counted[VEHICLE_DATA], counted[WAKE_UP]) == (1, 0)

        # A caller who accepts an older state gets it, and Tesla is not asked at all.
        cached = await read(tenant.client, car.id, max_age=600)
        assert cached["source"] == "cache"
        assert cached["online_state"] == "online"  # what Tesla said when it was read
        assert await calls(sim, tesla_app["client_id"]) == counted

    async def test_a_car_that_falls_asleep_during_the_read(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        # Online for the free check, gone by the data call: Tesla answers 408.
        body = {"response": None, "error": "vehicle unavailable: vehicle is offline or asleep", "error_description": ""}
        fault = await sim.post("/sim/faults", json={"path": "/vehicle_data", "status": 408, "body": body, "count": 1})
        assert fault.status_code == 201, fault.text

        error = (await read(tenant.client, car.id, 409))["error"]
        assert error["code"] == "vehicle_asleep"
        assert error["woken"] is False
        assert error["last_known_state"] is None
        assert (await calls(sim, tesla_app["client_id"]))[WAKE_UP] == 0


class TestWake:
    async def test_wake_true_wakes_once_then_reads(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect(vehicles=[ASLEEP])).vehicle
        await set_car(sim, car.external_id, wake_delay_seconds=0.3)

        answers = await asyncio.gather(*(read(tenant.client, car.id, wake=True) for _ in range(5)))
        for body in answers:
            assert body["source"] == "live"
            assert body["online_state"] == "online"
            assert body["data"]["online_state"] == "online"
            assert body["data"]["battery_level_pct"] is not None
        counted = await calls(sim, tesla_app["client_id"])
        assert counted[WAKE_UP] == 1
        assert counted[VEHICLE_DATA] == 1
        assert counted[VEHICLE] >= 2  # the first check, then polls until it was online
        assert (await sim_vehicle(sim, car.external_id))["state"] == "online"

    async def test_an_online_car_is_not_woken(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        assert (await read(tenant.client, car.id, wake=True))["source"] == "live"
        counted = await calls(sim, tesla_app["client_id"])
        assert (counted[VEHICLE], counted[WAKE_UP], counted[VEHICLE_DATA]) == (1, 0, 1)

    async def test_a_car_that_never_comes_online_times_out(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        gateway_runtime.wake = WakePolicy(timeout_seconds=1.0, first_pause_seconds=0.2)
        car = (await connect(vehicles=[{"state": "offline"}])).vehicle

        error = (await read(tenant.client, car.id, 504, wake=True))["error"]
        assert error["code"] == "wake_timeout"
        assert error["online_state"] == "offline"
        assert error["woken"] is True
        assert error["last_known_state"] is None
        counted = await calls(sim, tesla_app["client_id"])
        assert counted[WAKE_UP] == 1
        assert counted[VEHICLE_DATA] == 0
        assert counted[VEHICLE] >= 3


class TestTeslasRateLimit:
    async def test_a_429_from_tesla_is_passed_on_with_retry_after(
        self, connect: Connector, tenant: Tenant, world: World
    ) -> None:
        car = (await connect()).vehicle
        world.limiter.limits["data"] = 1
        known = await read(tenant.client, car.id)

        response = await tenant.client.get(f"/v1/devices/{car.id}/state", params={"max_age": "0"})
        assert response.status_code == 429, response.text
        assert response.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(response.headers["Retry-After"]) <= 60
        # The stored state is still there for callers who accept it.
        assert (await read(tenant.client, car.id))["fetched_at"] == known["fetched_at"]
