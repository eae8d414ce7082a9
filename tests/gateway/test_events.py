"""The event log: an event for each transition of connections, devices and virtual keys, recorded with the change
(kept even when the request that found out fails), listed with filters and pages, and kept per workspace."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text

from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.gateway.flows import (
    ALL_ACCESS,
    Connector,
    change_access_on_tesla,
    complete_hosted,
    connect_hosted,
    tesla_account,
)
from tests.simulator.factories import SimFactory

EMAIL = "owner@example.com"
EVERYTHING_BUT_LOCATION = {
    "offline_access",
    "vehicle_device_data",
    "vehicle_cmds",
    "vehicle_charging_cmds",
    "energy_device_data",
    "energy_cmds",
}


async def events(api: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """The log in the order things happened (the API lists newest first unless asked)."""
    response = await api.get("/v1/events", params={"limit": 100, "order": "oldest_first", **params})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def types(found: list[dict[str, Any]]) -> list[str]:
    return [event["type"] for event in found]


async def since(api: httpx.AsyncClient, before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events recorded after `before` was listed."""
    seen = {event["id"] for event in before}
    return [event for event in await events(api) if event["id"] not in seen]


async def sync(api: httpx.AsyncClient, connection_id: str) -> httpx.Response:
    return await api.post(f"/v1/connections/{connection_id}/sync")


class TestConnections:
    async def test_connecting_records_the_connection_and_its_devices(
        self, tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        account = await tesla_account(factory, EMAIL, energy_sites=1)
        done = await connect_hosted(tenant.client, gateway, sim, email=EMAIL, access=list(ALL_ACCESS))
        assert done["status"] == "completed", done

        found = await events(tenant.client)
        assert types(found) == ["connection.created", "device.discovered", "device.discovered"]
        created = found[0]
        assert created["id"].startswith("evt_")
        assert created["version"] == 1
        assert created["data"]["id"] == done["connection_id"]
        assert created["data"]["status"] == "active"
        assert created["data"]["customer_id"] == done["customer_id"]
        devices = (await tenant.client.get("/v1/devices")).json()["data"]
        assert {event["data"]["id"] for event in found[1:]} == {device["id"] for device in devices}
        vehicle = next(event["data"] for event in found[1:] if event["data"]["type"] == "vehicle")
        assert vehicle["vin"] == account.vins[0]
        assert vehicle["virtual_key"]["paired"] is False

    async def test_a_reconnect_updates_the_connection(
        self, tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        await tesla_account(factory, EMAIL)
        done = await connect_hosted(tenant.client, gateway, sim, email=EMAIL, access=["vehicle_data"])
        before = await events(tenant.client)
        again = await tenant.client.post(f"/v1/connections/{done['connection_id']}/reconnect", json={})
        assert again.status_code == 201, again.text
        await complete_hosted(tenant.client, gateway, sim, again.json(), email=EMAIL)

        (updated,) = await since(tenant.client, before)
        assert updated["type"] == "connection.updated"
        assert updated["data"]["id"] == done["connection_id"]

    async def test_scopes_changed_on_tesla_update_the_connection(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        link = await connect(EMAIL)
        await change_access_on_tesla(sim, tesla_app["client_id"], EMAIL, keep=EVERYTHING_BUT_LOCATION)
        before = await events(tenant.client)
        assert (await sync(tenant.client, link.connection_id)).status_code == 200

        (updated,) = await since(tenant.client, before)
        assert updated["type"] == "connection.updated"
        assert "vehicle_location" not in updated["data"]["granted_scopes"]
        assert updated["data"]["missing_access"] == ["vehicle_location"]
        # Nothing changed since: no event.
        assert (await sync(tenant.client, link.connection_id)).status_code == 200
        assert len(await since(tenant.client, before)) == 1

    async def test_a_region_reported_by_tesla_updates_the_connection(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        link = await connect(EMAIL, region="eu")
        async with gateway_runtime.engine.begin() as db:
            await db.execute(text("UPDATE connections SET region = 'na' WHERE id = :id"), {"id": link.connection_id})
        before = await events(tenant.client)
        assert (await sync(tenant.client, link.connection_id)).status_code == 200

        (updated,) = await since(tenant.client, before)
        assert updated["type"] == "connection.updated"
        assert updated["data"]["region"] == "eu"

    async def test_revoked_consent_is_recorded_although_the_request_fails(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        link = await connect(EMAIL)
        vehicle = link.vehicle
        await change_access_on_tesla(sim, tesla_app["client_id"], EMAIL, keep=None)
        before = await events(tenant.client)

        failed = await tenant.client.post(f"/v1/devices/{vehicle.id}/virtual-key/check")
        assert failed.status_code == 409
        assert failed.json()["error"]["code"] == "needs_reconnect"
        (marked,) = await since(tenant.client, before)
        assert marked["type"] == "connection.needs_reconnect"
        assert marked["data"]["id"] == link.connection_id
        assert marked["data"]["status"] == "needs_reconnect"
        assert "login_required" in marked["data"]["status_reason"]

        assert (await sync(tenant.client, link.connection_id)).status_code == 409
        assert len(await since(tenant.client, before)) == 1

    async def test_found_out_by_a_sync(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        link = await connect(EMAIL)
        await change_access_on_tesla(sim, tesla_app["client_id"], EMAIL, keep={"vehicle_device_data"})
        before = await events(tenant.client)
        assert (await sync(tenant.client, link.connection_id)).status_code == 409
        assert types(await since(tenant.client, before)) == ["connection.needs_reconnect"]

    async def test_deleting_revokes_the_connection_and_removes_its_devices(
        self, connect: Connector, tenant: Tenant
    ) -> None:
        link = await connect(EMAIL, energy_sites=1)
        before = await events(tenant.client)
        assert (await tenant.client.delete(f"/v1/connections/{link.connection_id}")).status_code == 200

        found = await since(tenant.client, before)
        assert types(found) == ["connection.revoked", "device.removed", "device.removed"]
        assert found[0]["data"]["status"] == "revoked"
        assert {event["data"]["status"] for event in found[1:]} == {"removed"}
        assert (await tenant.client.delete(f"/v1/connections/{link.connection_id}")).status_code == 200
        assert len(await since(tenant.client, before)) == 3


class TestDevices:
    async def test_a_sync_records_sold_and_bought_cars(
        self, connect: Connector, sim: httpx.AsyncClient, factory: SimFactory, tenant: Tenant
    ) -> None:
        link = await connect(EMAIL, vehicles=[{}, {}])
        sold, kept = link.account.vins
        buyer = await factory.account(email="buyer@example.com")
        moved = await sim.patch(f"/sim/vehicles/{sold}", json={"account_id": buyer["id"]})
        assert moved.status_code == 200, moved.text
        bought = (await factory.vehicle(link.account.id))["vin"]
        before = await events(tenant.client)
        assert (await sync(tenant.client, link.connection_id)).status_code == 200

        found = {event["type"]: event["data"] for event in await since(tenant.client, before)}
        assert set(found) == {"device.discovered", "device.removed"}
        assert found["device.discovered"]["vin"] == bought
        assert found["device.removed"]["vin"] == sold
        assert found["device.removed"]["status"] == "removed"

        # The sold car coming back keeps its id, and is discovered again.
        back = await sim.patch(f"/sim/vehicles/{sold}", json={"account_id": link.account.id})
        assert back.status_code == 200, back.text
        before = await events(tenant.client)
        assert (await sync(tenant.client, link.connection_id)).status_code == 200
        (again,) = await since(tenant.client, before)
        assert again["type"] == "device.discovered"
        assert again["data"]["vin"] == sold
        assert again["data"]["id"] == found["device.removed"]["id"]
        assert kept not in {again["data"]["vin"], found["device.discovered"]["vin"]}

    async def test_a_sync_records_what_changed_and_nothing_else(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        link = await connect(EMAIL, energy_sites=1)
        before = await events(tenant.client)
        assert (await sync(tenant.client, link.connection_id)).status_code == 200
        assert await since(tenant.client, before) == []

        updated = await sim.patch(f"/sim/vehicles/{link.account.vins[0]}", json={"firmware": "2026.2.1"})
        assert updated.status_code == 200, updated.text
        assert (await sync(tenant.client, link.connection_id)).status_code == 200
        (event,) = await since(tenant.client, before)
        assert event["type"] == "device.updated"
        assert event["data"]["firmware_version"] == "2026.2.1"

    async def test_pairing_the_key_and_removing_it(
        self, connect: Connector, sim: httpx.AsyncClient, factory: SimFactory, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        link = await connect(EMAIL)
        vehicle = link.vehicle
        check = f"/v1/devices/{vehicle.id}/virtual-key/check"
        before = await events(tenant.client)
        assert (await tenant.client.post(check)).status_code == 200
        assert await since(tenant.client, before) == []  # still not paired: nothing flipped

        await factory.pair(link.account.vins[0], tesla_app["public_key_pem"])
        assert (await tenant.client.post(check)).json()["paired"] is True
        (paired,) = await since(tenant.client, before)
        assert paired["type"] == "virtual_key.paired"
        assert paired["data"]["id"] == vehicle.id
        assert paired["data"]["virtual_key"]["paired"] is True
        assert paired["data"]["capabilities"]["commands"] == {"available": True}

        removed = await sim.delete(f"/sim/vehicles/{link.account.vins[0]}/keys")
        assert removed.status_code in (200, 204), removed.text
        # Found out by a sync this time.
        assert (await sync(tenant.client, link.connection_id)).status_code == 200
        found = await since(tenant.client, before)
        assert types(found) == ["virtual_key.paired", "virtual_key.unpaired"]
        assert found[1]["data"]["virtual_key"]["paired"] is False


class TestListing:
    async def test_filters_pages_and_one_by_id(self, connect: Connector, tenant: Tenant) -> None:
        await connect(EMAIL, vehicles=[{}, {}], energy_sites=1)
        everything = await events(tenant.client)
        assert types(everything) == ["connection.created", *["device.discovered"] * 3]
        created_at = [event["created_at"] for event in everything]
        assert created_at == sorted(created_at)

        assert types(await events(tenant.client, type="device.*")) == ["device.discovered"] * 3
        assert types(await events(tenant.client, type="connection.created")) == ["connection.created"]
        assert await events(tenant.client, type="virtual_key.paired") == []
        assert await events(tenant.client, type="*") == everything
        for bad in ("device", "nothing.*", "device.exploded"):
            refused = await tenant.client.get("/v1/events", params={"type": bad})
            assert refused.status_code == 422, bad
            assert refused.json()["error"]["code"] == "validation_error"

        newest = (await tenant.client.get("/v1/events", params={"limit": 100})).json()["data"]
        assert newest == list(reversed(everything))
        for order, expected in ((None, newest), ("oldest_first", everything)):
            paged: list[dict[str, Any]] = []
            cursor: str | None = None
            while True:
                # The cursor goes on in the order its first page was asked for.
                params = {"limit": 3, **({"cursor": cursor} if cursor else {"order": order} if order else {})}
                page = (await tenant.client.get("/v1/events", params=params)).json()
                paged.extend(page["data"])
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert paged == expected, order

        one = await tenant.client.get(f"/v1/events/{everything[1]['id']}")
        assert one.status_code == 200
        assert one.json() == everything[1]
        assert (await tenant.client.get("/v1/events/evt_nothing")).status_code == 404

    async def test_another_workspace_sees_none_of_them(
        self, connect: Connector, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        await connect(EMAIL)
        mine = await events(tenant.client)
        assert mine
        assert await events(other_tenant.client) == []
        response = await other_tenant.client.get(f"/v1/events/{mine[0]['id']}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
