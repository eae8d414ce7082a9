"""Periodic device sync: new devices discovered and vanished ones marked removed without anyone asking, connections
synced recently left alone, one failing connection not stopping the others, the task stopped cleanly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.sync import periodic_sync, sync_pass
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector, Linked, change_access_on_tesla
from tests.simulator.factories import SimFactory
from tests.support.polling import eventually

HOUR = 3600.0
PRODUCTS = "GET /products"


async def devices(api: httpx.AsyncClient) -> dict[str, str]:
    """VIN or site id → status."""
    response = await api.get("/v1/devices")
    assert response.status_code == 200, response.text
    return {str(d.get("vin") or d.get("energy_site_id")): d["status"] for d in response.json()["data"]}


async def synced_hours_ago(runtime: Runtime, connection_id: str, hours: float) -> None:
    async with runtime.sessionmaker() as session, session.begin():
        connection = await session.get_one(Connection, connection_id)
        connection.synced_at = utcnow() - timedelta(hours=hours)


async def sell_and_buy(factory: SimFactory, linked: Linked) -> tuple[str, str]:
    """The owner sells their first car and buys another: (sold VIN, new VIN)."""
    buyer = await factory.account(email=f"buyer-{linked.account.email}")
    sold = linked.account.vins[0]
    moved = await factory.sim.patch(f"/sim/vehicles/{sold}", json={"account_id": buyer["id"]})
    assert moved.status_code == 200, moved.text
    bought = await factory.vehicle(linked.account.id)
    return sold, bought["vin"]


async def products_calls(sim: httpx.AsyncClient, client_id: str) -> int:
    count: int = (await sim.get("/sim/usage")).json()["endpoints"].get(client_id, {}).get(PRODUCTS, 0)
    return count


class TestPass:
    async def test_discovers_new_devices_and_marks_vanished_ones_removed(
        self, connect: Connector, gateway_runtime: Runtime, factory: SimFactory, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=[{}, {}])
        sold, bought = await sell_and_buy(factory, linked)
        kept = linked.account.vins[1]
        await synced_hours_ago(gateway_runtime, linked.connection_id, 7)

        result = await sync_pass(gateway_runtime, 6 * HOUR)

        assert result.failed == []
        report = result.synced[linked.connection_id]
        assert [d.external_id for d in report.discovered] == [bought]
        assert [d.external_id for d in report.removed] == [sold]
        assert await devices(tenant.client) == {sold: "removed", kept: "active", bought: "active"}
        connection = (await tenant.client.get(f"/v1/connections/{linked.connection_id}")).json()
        assert connection["synced_at"] > (utcnow() - timedelta(minutes=5)).isoformat()

    async def test_connections_synced_recently_are_left_alone(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tesla_app: dict[str, Any]
    ) -> None:
        fresh = await connect("fresh@example.com", vehicles=[{}, {}], reference_id="fresh@example.com")
        stale = await connect("stale@example.com", vehicles=[{}, {}], reference_id="stale@example.com")
        await synced_hours_ago(gateway_runtime, fresh.connection_id, 2)  # within half an interval
        await synced_hours_ago(gateway_runtime, stale.connection_id, 4)
        before = await products_calls(sim, tesla_app["client_id"])

        result = await sync_pass(gateway_runtime, 6 * HOUR)

        assert list(result.synced) == [stale.connection_id]
        assert await products_calls(sim, tesla_app["client_id"]) == before + 1

    async def test_a_failing_connection_does_not_stop_the_others(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        revoked = await connect("revoked@example.com", vehicles=[{}, {}], reference_id="revoked@example.com")
        healthy = await connect("healthy@example.com", vehicles=[{}, {}], reference_id="healthy@example.com")
        # The revoked one comes first (synced longest ago); its user removed the app's access on Tesla's side.
        await synced_hours_ago(gateway_runtime, revoked.connection_id, 9)
        await synced_hours_ago(gateway_runtime, healthy.connection_id, 8)
        await change_access_on_tesla(sim, tesla_app["client_id"], revoked.account.email, keep=None)
        _, bought = await sell_and_buy(factory, healthy)

        result = await sync_pass(gateway_runtime, 6 * HOUR)

        assert result.failed == [revoked.connection_id]
        assert [d.external_id for d in result.synced[healthy.connection_id].discovered] == [bought]
        connection = (await tenant.client.get(f"/v1/connections/{revoked.connection_id}")).json()
        assert connection["status"] == "needs_reconnect"
        # Out of the rotation until the user reconnects.
        assert (await sync_pass(gateway_runtime, 0.001)).failed == []


class TestTask:
    async def test_runs_in_the_background_until_stopped(
        self, connect: Connector, gateway_runtime: Runtime, factory: SimFactory, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=[{}, {}])
        sold, bought = await sell_and_buy(factory, linked)

        async with periodic_sync(gateway_runtime, 0.05, first_delay=0) as task:
            assert task is not None
            await eventually(
                lambda: devices(tenant.client),
                until=lambda found: found.get(bought) == "active",
                what=f"{bought} found",
            )
            assert not task.done()
        assert task.cancelled()
        assert await devices(tenant.client) == {sold: "removed", linked.account.vins[1]: "active", bought: "active"}

    async def test_an_interval_of_zero_turns_it_off(self, gateway_runtime: Runtime) -> None:
        async with periodic_sync(gateway_runtime, 0) as task:
            assert task is None
