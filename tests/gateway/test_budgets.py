"""Tesla's per-device limits kept on our side (60 data, 30 commands, 3 wakes a rolling minute): the call over
budget is refused with 429 `rate_limited` and `Retry-After` before Tesla is asked, and a 429 from Tesla is honoured
for the following calls without asking Tesla again.

The window is real time (a minute); tests move time by ageing the ledger's rows (and the simulator's clock with
them), never by waiting.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.usage.budgets import HOLD
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection, UpstreamCall
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.tesla.errors import RateLimited
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector, Linked
from tests.gateway.test_usage import api_error, call, ledger, sim_usage
from tests.simulator.factories import SimFactory

VEHICLE_DATA = "GET /vehicles/{vehicle_tag}/vehicle_data"
WAKE_UP = "POST /vehicles/{vehicle_tag}/wake_up"
COMMAND = "POST /vehicles/{vehicle_tag}/command/{name}"
# Takes commands over REST, as `api.command` sends them here.
REST_CAR = {"command_signing": "allowed"}


async def tesla_calls(sim: httpx.AsyncClient, client_id: str, endpoint: str) -> int:
    """Calls the simulator answered on this endpoint, 429s included."""
    count: int = (await sim_usage(sim, client_id))["endpoints"].get(endpoint, 0)
    return count


async def age(runtime: Runtime, device_key: str, seconds: float) -> None:
    """Moves the device's ledger rows back in time, as if `seconds` had passed."""
    async with runtime.sessionmaker() as session, session.begin():
        for row in await session.scalars(select(UpstreamCall).where(UpstreamCall.device_key == device_key)):
            row.at -= timedelta(seconds=seconds)


def retry_after(error: Any) -> int:
    assert error.status == 429
    assert error.code == "rate_limited"
    return int(error.headers["Retry-After"])


class TestOwnBudgets:
    async def test_the_61st_data_call_in_a_minute_is_refused_before_tesla(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tesla_app: dict[str, Any],
    ) -> None:
        linked = await connect(vehicles=[REST_CAR], energy_sites=1)
        vin = linked.account.vins[0]
        conn = linked.connection_id

        async def read_sixty(api: Any) -> None:
            for _ in range(60):
                await api.vehicle_data(vin)

        await call(gateway_runtime, conn, read_sixty)
        refused = await api_error(gateway_runtime, conn, lambda api: api.vehicle_data(vin))
        assert 1 <= retry_after(refused) <= 60
        assert "60 data calls a minute" in refused.message
        # Tesla saw exactly 60, all answered (none of them a 429).
        assert await tesla_calls(sim, tesla_app["client_id"], VEHICLE_DATA) == 60
        assert (await sim_usage(sim, tesla_app["client_id"]))["totals"]["data"] == 60
        # The refused call left no row: it never happened.
        rows = [row for row in await ledger(gateway_runtime, conn) if row.category == "data"]
        assert len(rows) == 60
        assert {row.status for row in rows} == {200}

        # Other categories, and other devices, have budgets of their own.
        await call(gateway_runtime, conn, lambda api: api.wake_up(vin))
        await call(gateway_runtime, conn, lambda api: api.live_status(linked.account.energy_site_ids[0]))

        # A minute later (for us and for Tesla) the window has room again.
        await age(gateway_runtime, vin, 61)
        await factory.advance(61)
        await call(gateway_runtime, conn, lambda api: api.vehicle_data(vin))
        assert await tesla_calls(sim, tesla_app["client_id"], VEHICLE_DATA) == 61

    async def test_three_wakes_a_minute(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tesla_app: dict[str, Any]
    ) -> None:
        linked = await connect(vehicles=[REST_CAR], energy_sites=1)
        vin = linked.account.vins[0]
        for _ in range(3):
            await call(gateway_runtime, linked.connection_id, lambda api: api.wake_up(vin))
        refused = await api_error(gateway_runtime, linked.connection_id, lambda api: api.wake_up(vin))
        assert 1 <= retry_after(refused) <= 60
        assert await tesla_calls(sim, tesla_app["client_id"], WAKE_UP) == 3

    async def test_thirty_commands_a_minute(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tesla_app: dict[str, Any]
    ) -> None:
        linked = await connect(vehicles=[REST_CAR], energy_sites=1)
        vin = linked.account.vins[0]

        async def flash_thirty(api: Any) -> None:
            for _ in range(30):
                await api.command(vin, "flash_lights")

        await call(gateway_runtime, linked.connection_id, flash_thirty)
        refused = await api_error(gateway_runtime, linked.connection_id, lambda api: api.command(vin, "flash_lights"))
        assert 1 <= retry_after(refused) <= 60
        assert await tesla_calls(sim, tesla_app["client_id"], COMMAND) == 30

    async def test_concurrent_calls_share_one_budget(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tesla_app: dict[str, Any]
    ) -> None:
        linked = await connect(vehicles=[REST_CAR], energy_sites=1)
        vin = linked.account.vins[0]
        async with gateway_runtime.sessionmaker() as session:
            connection = await session.get_one(Connection, linked.connection_id)

        async def read() -> str:
            # As jobs would: no request transaction, so every reservation is a transaction of its own.
            try:
                async with fleet_api(gateway_runtime, None, connection) as api:
                    await api.vehicle_data(vin)
            except RateLimited:
                return "refused"
            return "read"

        outcomes = Counter(await asyncio.gather(*(read() for _ in range(40 + 30))))
        assert outcomes == {"read": 60, "refused": 10}
        assert await tesla_calls(sim, tesla_app["client_id"], VEHICLE_DATA) == 60

    async def test_retry_after_is_when_the_oldest_call_leaves_the_window(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=[REST_CAR], energy_sites=1)
        vin = linked.account.vins[0]
        now = utcnow()
        # Three wakes 50, 40 and 30 seconds ago (by another process, say), one of them still in flight.
        await insert_calls(
            gateway_runtime, tenant, linked, "wakes", [(now - timedelta(seconds=s), 200) for s in (50, 40)]
        )
        await insert_calls(gateway_runtime, tenant, linked, "wakes", [(now - timedelta(seconds=30), None)])
        refused = await api_error(gateway_runtime, linked.connection_id, lambda api: api.wake_up(vin))
        # The oldest leaves the window 10 seconds from `now`.
        assert 1 <= retry_after(refused) <= 10

    async def test_answers_tesla_gives_before_its_limiter_do_not_count(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=[REST_CAR], energy_sites=1)
        vin = linked.account.vins[0]
        recent = utcnow() - timedelta(seconds=5)
        # Refused tokens, wrong regions and Tesla's own 429s: not in Tesla's count. An old wake: out of the window.
        statuses: list[int | None] = [401, 421, 429]
        await insert_calls(gateway_runtime, tenant, linked, "wakes", [(recent, status) for status in statuses])
        await insert_calls(gateway_runtime, tenant, linked, "wakes", [(utcnow() - timedelta(seconds=61), 200)])
        for _ in range(3):
            await call(gateway_runtime, linked.connection_id, lambda api: api.wake_up(vin))


async def insert_calls(
    runtime: Runtime, tenant: Tenant, linked: Linked, category: str, calls: list[tuple[datetime, int | None]]
) -> None:
    """Calls of the car's in the ledger, as another process would have made them."""
    async with runtime.sessionmaker() as session, session.begin():
        for at, status in calls:
            session.add(
                UpstreamCall(
                    id=new_id("call"),
                    workspace_id=tenant.workspace_id,
                    connection_id=linked.connection_id,
                    device_key=linked.account.vins[0],
                    category=category,
                    method="POST",
                    endpoint="/api/1/vehicles/{vehicle_tag}/wake_up",
                    status=status,
                    billable=status is not None and status < 500,
                    at=at,
                )
            )


class TestTeslas429:
    async def test_an_injected_429_holds_the_device_for_its_retry_after(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tesla_app: dict[str, Any]
    ) -> None:
        linked = await connect(vehicles=[REST_CAR], energy_sites=1)
        vin = linked.account.vins[0]
        conn = linked.connection_id
        fault = {"path": "vehicle_data", "status": 429, "count": 1, "body": "Retry in 60 seconds"}
        assert (await sim.post("/sim/faults", json=fault)).status_code == 201

        first = await api_error(gateway_runtime, conn, lambda api: api.vehicle_data(vin))
        # No Retry-After header on this answer: a minute, as `RateLimit-Reset` or Tesla's window would say.
        assert retry_after(first) == 60
        assert "Tesla's rate limit" in first.message
        # The fault is used up: a call reaching Tesla now would succeed. None does.
        again = await api_error(gateway_runtime, conn, lambda api: api.vehicle_data(vin))
        assert 1 <= retry_after(again) <= 60
        assert "Tesla answered 429" in again.message
        assert await tesla_calls(sim, tesla_app["client_id"], VEHICLE_DATA) == 0
        # Only data calls of that car are held.
        await call(gateway_runtime, conn, lambda api: api.command(vin, "flash_lights"))

        # The 429 itself is a billable answer; the hold is no call.
        rows = [row for row in await ledger(gateway_runtime, conn) if row.category == "data"]
        assert [(row.method, row.status, row.billable) for row in rows] == [("GET", 429, True), (HOLD, 429, False)]

        await age(gateway_runtime, vin, 61)
        await call(gateway_runtime, conn, lambda api: api.vehicle_data(vin))
        assert await tesla_calls(sim, tesla_app["client_id"], VEHICLE_DATA) == 1

    async def test_teslas_own_limiter_and_its_retry_after_header(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tesla_app: dict[str, Any],
    ) -> None:
        linked = await connect(vehicles=[REST_CAR], energy_sites=1)
        vin = linked.account.vins[0]
        conn = linked.connection_id
        # Another app of the same Tesla account wakes the car three times: Tesla's budget is spent, ours is not.
        headers = {"Authorization": f"Bearer {linked.tokens.access_token}"}
        for _ in range(3):
            assert (await sim.post(f"/na/api/1/vehicles/{vin}/wake_up", headers=headers)).status_code == 200
        await factory.advance(20)
        tesla_429 = await sim.post(f"/na/api/1/vehicles/{vin}/wake_up", headers=headers)
        assert tesla_429.status_code == 429
        tesla_wait = int(tesla_429.headers["Retry-After"])
        assert 30 <= tesla_wait <= 40

        refused = await api_error(gateway_runtime, conn, lambda api: api.wake_up(vin))
        assert tesla_wait - 1 <= retry_after(refused) <= tesla_wait
        again = await api_error(gateway_runtime, conn, lambda api: api.wake_up(vin))
        assert 1 <= retry_after(again) <= tesla_wait
        # Tesla was asked once by the gateway (the call it refused), not twice.
        assert await tesla_calls(sim, tesla_app["client_id"], WAKE_UP) == 3 + 1 + 1
