"""One Tesla account connected more than once through the hosted pages. Tesla keeps only the newest login of an
account in an app alive, so a workspace keeps one connection per account (refreshed by each consent), and a
connection elsewhere to that account turns `needs_reconnect` as soon as the account is connected again."""

from __future__ import annotations

from typing import Any

import httpx

from tests.gateway.conftest import Tenant
from tests.gateway.flows import (
    ALL_ACCESS,
    change_access_on_tesla,
    complete_hosted,
    connect_hosted,
    device_ids,
    tesla_account,
)
from tests.simulator.factories import SimFactory

EMAIL = "owner@example.com"
OTHER_EMAIL = "someone.else@example.com"
EVERYTHING_BUT_LOCATION = {
    "offline_access",
    "vehicle_device_data",
    "vehicle_cmds",
    "vehicle_charging_cmds",
    "energy_device_data",
    "energy_cmds",
}


async def connected(tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, **body: Any) -> str:
    done = await connect_hosted(tenant.client, gateway, sim, **{"email": EMAIL, "access": list(ALL_ACCESS), **body})
    assert done["status"] == "completed", done
    connection_id: str = done["connection_id"]
    return connection_id


async def connection(tenant: Tenant, connection_id: str) -> dict[str, Any]:
    response = await tenant.client.get(f"/v1/connections/{connection_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def listed(tenant: Tenant) -> list[dict[str, Any]]:
    response = await tenant.client.get("/v1/connections")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


async def event_types(tenant: Tenant) -> list[str]:
    """In the order they happened."""
    response = await tenant.client.get("/v1/events", params={"limit": 100, "order": "oldest_first"})
    assert response.status_code == 200, response.text
    return [event["type"] for event in response.json()["data"]]


async def sync(tenant: Tenant, connection_id: str) -> httpx.Response:
    return await tenant.client.post(f"/v1/connections/{connection_id}/sync")


class TestInOneWorkspace:
    async def test_connecting_again_refreshes_the_same_connection_and_keeps_its_devices(
        self,
        tenant: Tenant,
        gateway: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tesla_app: dict[str, Any],
    ) -> None:
        await tesla_account(factory, EMAIL, energy_sites=1)
        first = await connected(tenant, gateway, sim)
        devices = await device_ids(tenant.client, connection_id=first)
        customer_id = (await connection(tenant, first))["customer_id"]
        # The user takes location away on Tesla's page: the next consent's tokens carry less than the first's.
        await change_access_on_tesla(sim, tesla_app["client_id"], EMAIL, keep=EVERYTHING_BUT_LOCATION)

        second = await connected(tenant, gateway, sim)
        third = await connected(tenant, gateway, sim, reference_id="user-2")

        assert second == third == first
        (only,) = await listed(tenant)
        assert only["id"] == first
        assert only["status"] == "active"
        assert only["customer_id"] == customer_id
        assert "vehicle_location" not in only["granted_access"]
        assert await device_ids(tenant.client, connection_id=first) == devices
        assert (await sync(tenant, first)).status_code == 200
        assert await event_types(tenant) == [
            "connection.created",
            "device.discovered",
            "device.discovered",
            "connection.updated",
            "connection.updated",
        ]

    async def test_different_accounts_make_two_connections(
        self, tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        await tesla_account(factory, EMAIL)
        await tesla_account(factory, OTHER_EMAIL)
        first = await connected(tenant, gateway, sim)
        second = await connected(tenant, gateway, sim, email=OTHER_EMAIL)

        assert first != second
        assert sorted(c["id"] for c in await listed(tenant)) == sorted([first, second])
        for connection_id in (first, second):
            assert (await connection(tenant, connection_id))["status"] == "active"
            assert (await sync(tenant, connection_id)).status_code == 200


class TestInTwoWorkspaces:
    async def test_the_older_connection_is_superseded_at_once_and_the_newer_works(
        self,
        tenant: Tenant,
        other_tenant: Tenant,
        gateway: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        factory: SimFactory,
    ) -> None:
        await tesla_account(factory, EMAIL)
        older = await connected(tenant, gateway, sim)
        newer = await connected(other_tenant, gateway, sim)
        assert newer != older

        superseded = await connection(tenant, older)
        assert superseded["status"] == "needs_reconnect"
        assert "connected again elsewhere" in superseded["status_reason"]
        response = await tenant.client.get("/v1/events", params={"type": "connection.superseded"})
        (event,) = response.json()["data"]
        assert event["data"]["id"] == older
        assert event["data"]["status"] == "needs_reconnect"
        assert event["data"]["status_reason"] == superseded["status_reason"]
        assert event["data"]["remedies"]["reconnect_api_url"] == f"http://gateway.test/v1/connections/{older}/reconnect"
        refused = await sync(tenant, older)
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "needs_reconnect"
        assert refused.json()["error"]["remedy"]["reconnect_api_url"] == event["data"]["remedies"]["reconnect_api_url"]

        assert (await sync(other_tenant, newer)).status_code == 200
        assert (await connection(other_tenant, newer))["status"] == "active"
        assert "connection.superseded" not in await event_types(other_tenant)

    async def test_reconnecting_the_older_one_supersedes_the_newer(
        self,
        tenant: Tenant,
        other_tenant: Tenant,
        gateway: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        factory: SimFactory,
    ) -> None:
        await tesla_account(factory, EMAIL)
        older = await connected(tenant, gateway, sim)
        newer = await connected(other_tenant, gateway, sim)

        created = await tenant.client.post(f"/v1/connections/{older}/reconnect", json={})
        assert created.status_code == 201, created.text
        done = await complete_hosted(tenant.client, gateway, sim, created.json(), email=EMAIL)
        assert (done["status"], done["connection_id"]) == ("completed", older)

        assert (await connection(tenant, older))["status"] == "active"
        assert (await connection(other_tenant, newer))["status"] == "needs_reconnect"
        assert (await sync(tenant, older)).status_code == 200

    async def test_a_failed_reconnect_with_that_account_still_ends_its_connection_elsewhere(
        self,
        tenant: Tenant,
        other_tenant: Tenant,
        gateway: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        factory: SimFactory,
    ) -> None:
        await tesla_account(factory, EMAIL)
        await tesla_account(factory, OTHER_EMAIL)
        mine = await connected(tenant, gateway, sim)
        elsewhere = await connected(other_tenant, gateway, sim, email=OTHER_EMAIL)

        created = await tenant.client.post(f"/v1/connections/{mine}/reconnect", json={})
        done = await complete_hosted(tenant.client, gateway, sim, created.json(), email=OTHER_EMAIL)
        assert done["error"]["code"] == "different_tesla_account"

        assert (await connection(tenant, mine))["status"] == "active"
        assert (await connection(other_tenant, elsewhere))["status"] == "needs_reconnect"
        assert "connection.superseded" in await event_types(other_tenant)
