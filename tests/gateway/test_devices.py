"""Devices: discovery from `products`, capabilities from the granted scopes and the virtual key, stable ids."""

from __future__ import annotations

from typing import Any

import httpx

from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.simulator.factories import SimFactory

READ_ONLY = ["vehicle_data"]


async def devices(api: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    response = await api.get("/v1/devices", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def by_type(found: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(device for device in found if device["type"] == kind)


def unavailable(capability: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    assert capability["available"] is False, capability
    return capability["reason"], capability["remedy"]


class TestFullConsent:
    async def test_everything_but_commands_before_the_key_is_paired(self, connect: Connector, tenant: Tenant) -> None:
        linked = await connect(energy_sites=1)
        found = await devices(tenant.client)
        assert sorted(d["type"] for d in found) == ["energy_site", "vehicle"]

        vehicle = by_type(found, "vehicle")
        vin = linked.account.vins[0]
        assert vehicle["vin"] == vin
        assert vehicle["status"] == "active"
        assert vehicle["connection_id"] == linked.connection_id
        assert vehicle["customer_id"] == linked.customer_id
        assert vehicle["display_name"]
        assert vehicle["command_signing"] == "required"
        pairing_url = f"http://sim.test/_ak/gateway.test?vin={vin}"
        key = vehicle["virtual_key"]
        assert key["required"] is True
        assert key["paired"] is False
        assert key["pairing_url"] == pairing_url
        assert key["checked_at"] is not None
        caps = vehicle["capabilities"]
        assert caps["read_data"] == {"available": True}
        assert caps["read_location"] == {"available": True}
        for name in ("commands", "charging_commands"):
            reason, remedy = unavailable(caps[name])
            assert reason == "virtual_key_not_paired"
            assert remedy["pairing_url"] == pairing_url
            assert remedy["check_url"] == f"/v1/devices/{vehicle['id']}/virtual-key/check"
            assert remedy["retry_with"] == {"if_key_missing": "try"}

        site = by_type(found, "energy_site")
        assert site["energy_site_id"] == linked.account.energy_site_ids[0]
        assert site["display_name"] == "My Home"
        assert "vin" not in site
        assert "virtual_key" not in site
        assert site["capabilities"] == {"energy_data": {"available": True}, "energy_commands": {"available": True}}

    async def test_pairing_the_key_makes_commands_available_after_a_check(
        self, connect: Connector, factory: SimFactory, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        linked = await connect()
        vehicle = by_type(await devices(tenant.client), "vehicle")
        shown = await tenant.client.get(f"/v1/devices/{vehicle['id']}/virtual-key")
        assert shown.status_code == 200
        assert shown.json()["paired"] is False
        assert shown.json()["vin"] == linked.account.vins[0]

        await factory.pair(linked.account.vins[0], tesla_app["public_key_pem"])
        # Tesla is only asked again when the app says so.
        assert (await tenant.client.get(f"/v1/devices/{vehicle['id']}/virtual-key")).json()["paired"] is False
        checked = await tenant.client.post(f"/v1/devices/{vehicle['id']}/virtual-key/check")
        assert checked.status_code == 200, checked.text
        key = checked.json()
        assert key["paired"] is True
        assert key["device_id"] == vehicle["id"]
        assert key["checked_at"] >= vehicle["virtual_key"]["checked_at"]

        after = (await tenant.client.get(f"/v1/devices/{vehicle['id']}")).json()
        assert after["virtual_key"]["paired"] is True
        assert after["capabilities"]["commands"] == {"available": True}
        assert after["capabilities"]["charging_commands"] == {"available": True}
        capabilities = await tenant.client.get(f"/v1/devices/{vehicle['id']}/capabilities")
        assert capabilities.json() == after["capabilities"]

    async def test_a_car_that_takes_rest_commands_needs_no_key(self, connect: Connector, tenant: Tenant) -> None:
        await connect(vehicles=[{"command_signing": "allowed"}])
        vehicle = by_type(await devices(tenant.client), "vehicle")
        assert vehicle["command_signing"] == "allowed"
        assert vehicle["virtual_key"]["required"] is False
        assert vehicle["virtual_key"]["paired"] is False
        assert vehicle["capabilities"]["commands"] == {"available": True}


class TestPartialConsent:
    async def test_no_location_and_no_commands_say_what_to_ask_for(self, connect: Connector, tenant: Tenant) -> None:
        linked = await connect(energy_sites=1, grant=READ_ONLY)
        found = await devices(tenant.client)
        # Without an energy scope Tesla does not list the site at all.
        assert [d["type"] for d in found] == ["vehicle"]
        caps = found[0]["capabilities"]
        assert caps["read_data"] == {"available": True}
        links = {
            "reconnect_api_url": f"http://gateway.test/v1/connections/{linked.connection_id}/reconnect",
            "reconnect_link": caps["read_location"]["remedy"]["reconnect_link"],
            "manage_access_url": caps["read_location"]["remedy"]["manage_access_url"],
        }
        assert links["manage_access_url"].startswith("http://sim.test/user/revoke/consent?revoke_client_id=")
        assert links["reconnect_link"].startswith(f"http://gateway.test/connect/reconnect/{linked.connection_id}.")
        assert unavailable(caps["read_location"]) == (
            "missing_scope",
            {"missing_access": ["vehicle_location"], **links},
        )
        assert unavailable(caps["commands"]) == ("missing_scope", {"missing_access": ["vehicle_commands"], **links})
        assert unavailable(caps["charging_commands"]) == (
            "missing_scope",
            {"missing_access": ["vehicle_charging_commands"], **links},
        )

    async def test_vehicle_commands_also_allow_charging_commands(
        self, connect: Connector, factory: SimFactory, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        linked = await connect(grant=["vehicle_commands"])
        await factory.pair(linked.account.vins[0], tesla_app["public_key_pem"])
        vehicle = by_type(await devices(tenant.client), "vehicle")
        await tenant.client.post(f"/v1/devices/{vehicle['id']}/virtual-key/check")
        caps = (await tenant.client.get(f"/v1/devices/{vehicle['id']}")).json()["capabilities"]
        assert caps["commands"] == {"available": True}
        assert caps["charging_commands"] == {"available": True}
        assert unavailable(caps["read_data"])[0] == "missing_scope"

    async def test_energy_only_consent(self, connect: Connector, tenant: Tenant) -> None:
        linked = await connect(energy_sites=1, grant=["energy_data"])
        found = await devices(tenant.client)
        assert [d["type"] for d in found] == ["energy_site"]  # the vehicle is not visible to energy scopes
        caps = found[0]["capabilities"]
        assert caps["energy_data"] == {"available": True}
        reason, remedy = unavailable(caps["energy_commands"])
        assert reason == "missing_scope"
        assert remedy["missing_access"] == ["energy_commands"]
        assert remedy["reconnect_api_url"].endswith(f"/v1/connections/{linked.connection_id}/reconnect")


class TestSync:
    async def test_discovers_new_marks_vanished_and_keeps_ids(
        self, connect: Connector, sim: httpx.AsyncClient, factory: SimFactory, tenant: Tenant
    ) -> None:
        linked = await connect()
        first_vin = linked.account.vins[0]
        first = by_type(await devices(tenant.client), "vehicle")

        second_vin = (await factory.vehicle(linked.account.id, command_signing="allowed"))["vin"]
        synced = await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")
        assert synced.status_code == 200, synced.text
        body = synced.json()
        assert body["id"] == linked.connection_id
        assert {d["vin"]: d["status"] for d in body["devices"]} == {first_vin: "active", second_vin: "active"}
        second_id = next(d["id"] for d in body["devices"] if d["vin"] == second_vin)

        # The car is sold: it moves to another Tesla account.
        buyer = await factory.account("buyer@example.com")
        assert (await sim.patch(f"/sim/vehicles/{first_vin}", json={"account_id": buyer["id"]})).status_code == 200
        body = (await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")).json()
        statuses = {d["id"]: d["status"] for d in body["devices"]}
        assert statuses == {first["id"]: "removed", second_id: "active"}
        removed = (await tenant.client.get(f"/v1/devices/{first['id']}")).json()
        assert all(cap["reason"] == "device_removed" for cap in removed["capabilities"].values())
        assert [d["id"] for d in await devices(tenant.client, status="active")] == [second_id]

        assert (
            await sim.patch(f"/sim/vehicles/{first_vin}", json={"account_id": linked.account.id})
        ).status_code == 200
        body = (await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")).json()
        assert {d["id"]: d["status"] for d in body["devices"]} == {first["id"]: "active", second_id: "active"}
        assert body["synced_at"] is not None


class TestList:
    async def test_filters(self, connect: Connector, tenant: Tenant) -> None:
        one = await connect(energy_sites=1)
        two = await connect("second@example.com", reference_id="user-2")
        assert len(await devices(tenant.client)) == 3
        assert [d["type"] for d in await devices(tenant.client, type="energy_site")] == ["energy_site"]
        assert len(await devices(tenant.client, type="vehicle")) == 2
        assert {d["connection_id"] for d in await devices(tenant.client, customer_id=two.customer_id)} == {
            two.connection_id
        }
        assert len(await devices(tenant.client, connection_id=one.connection_id)) == 2
        page = (await tenant.client.get("/v1/devices", params={"limit": 2})).json()
        assert len(page["data"]) == 2
        assert page["next_cursor"]

        bad = await tenant.client.get("/v1/devices", params={"type": "toaster"})
        assert bad.status_code == 422
        assert bad.json()["error"]["code"] == "validation_error"

    async def test_an_energy_site_has_no_virtual_key(self, connect: Connector, tenant: Tenant) -> None:
        await connect(energy_sites=1)
        site = by_type(await devices(tenant.client), "energy_site")
        for method in ("GET", "POST"):
            path = f"/v1/devices/{site['id']}/virtual-key" + ("/check" if method == "POST" else "")
            response = await tenant.client.request(method, path)
            assert response.status_code == 404
            assert "energy site" in response.json()["error"]["message"]

    async def test_unknown_device_is_404(self, tenant: Tenant) -> None:
        response = await tenant.client.get("/v1/devices/dev_nothing")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
