"""No request holds a database connection while it waits on Tesla: with a pool of one connection, a live read of a
car that Tesla answers slowly does not keep other requests (a cached read of another car, the device list, a sync
that refreshes the token and asks Tesla for the products) from finishing first.

The order is seen in events, not in time: the slow read is at Tesla (its fault has been hit) and has not answered
when the others have."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from fleetgate.config import Settings
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import VEHICLE_DATA, calls, read
from tests.support.polling import eventually

SLOW_MS = 3000


@pytest.fixture
def gateway_settings(gateway_settings: Settings) -> Settings:
    return gateway_settings.model_copy(update={"database_pool_size": 1, "database_max_overflow": 0})


async def fault_hits(sim: httpx.AsyncClient, fault_id: int) -> int:
    faults = (await sim.get("/sim/faults")).json()["data"]
    hits: int = next(fault["hits"] for fault in faults if fault["id"] == fault_id)
    return hits


class TestSlowTeslaHoldsNoConnection:
    async def test_other_requests_finish_while_a_live_read_waits_on_tesla(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        linked = await connect(vehicles=[{}, {}])
        slow_vin, other_vin = linked.account.vins
        slow, other = linked.device_id(slow_vin), linked.device_id(other_vin)
        cached = await read(tenant.client, other)
        added = await sim.post("/sim/faults", json={"path": "/vehicle_data", "vin": slow_vin, "latency_ms": SLOW_MS})
        assert added.status_code == 201, added.text

        waiting = asyncio.create_task(read(tenant.client, slow, max_age=0))
        await eventually(
            lambda: fault_hits(sim, added.json()["id"]), until=lambda hits: hits == 1, what="the slow read at Tesla"
        )

        again = await read(tenant.client, other, max_age=300)
        assert again["source"] == "cache"
        assert again["fetched_at"] == cached["fetched_at"]
        listed = await tenant.client.get("/v1/devices")
        assert listed.status_code == 200, listed.text
        synced = await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")
        assert synced.status_code == 200, synced.text
        assert not waiting.done()

        answer = await waiting
        assert answer["source"] == "live"
        assert (await calls(sim, tesla_app["client_id"]))[VEHICLE_DATA] == 2

    @pytest.mark.parametrize(
        ("slow_path", "action"),
        [("/products", "sync"), ("/fleet_status", "virtual_key_check")],
    )
    async def test_a_slow_sync_or_key_check_lets_other_requests_through(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, slow_path: str, action: str
    ) -> None:
        car = (await connect()).vehicle
        cached = await read(tenant.client, car.id)
        added = await sim.post("/sim/faults", json={"path": slow_path, "latency_ms": SLOW_MS})
        assert added.status_code == 201, added.text

        url = (
            f"/v1/connections/{car.linked.connection_id}/sync"
            if action == "sync"
            else f"/v1/devices/{car.id}/virtual-key/check"
        )
        waiting = asyncio.create_task(tenant.client.post(url))
        await eventually(
            lambda: fault_hits(sim, added.json()["id"]), until=lambda hits: hits == 1, what=f"{slow_path} at Tesla"
        )

        again = await read(tenant.client, car.id, max_age=300)
        assert again["fetched_at"] == cached["fetched_at"]
        assert not waiting.done()
        assert (await waiting).status_code == 200
