"""Live reads of one device share one Tesla call: a request that arrives while a read of its device is in flight
takes that read's answer, whatever its `max_age` (the answer lands after the request arrived).

Tesla is made slow with a simulator fault on `vehicle_data`; that a read is at Tesla is seen in the fault's hits,
and upstream calls are counted with the simulator's ledger."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import VEHICLE, VEHICLE_DATA, calls, read
from tests.support.polling import eventually

SLOW_MS = 1500


async def slow_vehicle_data(sim: httpx.AsyncClient, vin: str) -> int:
    """Every `vehicle_data` of the car answered late until the fault is cleared; the fault's id."""
    fault = {"path": "/vehicle_data", "vin": vin, "latency_ms": SLOW_MS}
    response = await sim.post("/sim/faults", json=fault)
    assert response.status_code == 201, response.text
    fault_id: int = response.json()["id"]
    return fault_id


async def at_tesla(sim: httpx.AsyncClient, fault_id: int) -> int:
    """How many `vehicle_data` calls have reached the slow fault."""
    faults = (await sim.get("/sim/faults")).json()["data"]
    hits: int = next(fault["hits"] for fault in faults if fault["id"] == fault_id)
    return hits


class TestSharedLiveReads:
    async def test_concurrent_reads_of_one_car_make_one_call(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        await slow_vehicle_data(sim, car.external_id)

        answers = await asyncio.gather(*(read(tenant.client, car.id, max_age=0) for _ in range(30)))

        counted = await calls(sim, tesla_app["client_id"])
        assert counted[VEHICLE_DATA] == 1
        assert counted[VEHICLE] == 1
        assert {answer["source"] for answer in answers} == {"live"}
        assert len({answer["fetched_at"] for answer in answers}) == 1
        assert len({json.dumps(answer["data"], sort_keys=True) for answer in answers}) == 1

    async def test_a_read_arriving_while_one_is_in_flight_takes_its_answer_even_with_max_age_0(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        stale = await read(tenant.client, car.id)
        await sim.patch(f"/sim/vehicles/{car.external_id}", json={"locked": False})
        fault = await slow_vehicle_data(sim, car.external_id)

        first = asyncio.create_task(read(tenant.client, car.id, max_age=0))
        await eventually(lambda: at_tesla(sim, fault), until=lambda hits: hits == 1, what="the first read at Tesla")
        later = await asyncio.gather(*(read(tenant.client, car.id, max_age=0) for _ in range(3)))
        started = await first

        counted = await calls(sim, tesla_app["client_id"])
        assert counted[VEHICLE_DATA] == 2  # the stale read before, and the one in flight
        assert await at_tesla(sim, fault) == 1
        for answer in later:
            assert answer["source"] == "live"
            assert answer["fetched_at"] == started["fetched_at"]
            assert answer["data"] == started["data"]
        assert started["fetched_at"] > stale["fetched_at"]
        assert started["data"]["locked"] is False
        # A request that arrives after the read landed is another matter: to it, that answer is older than 0 s.
        assert (await read(tenant.client, car.id, max_age=0))["fetched_at"] > started["fetched_at"]
        assert (await calls(sim, tesla_app["client_id"]))[VEHICLE_DATA] == 3
