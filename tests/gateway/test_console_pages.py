"""The console's pages over HTTP: what they show is what the API says, and another workspace's objects are 404."""

from __future__ import annotations

from typing import Any

import httpx

from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.gateway.console_pages import add_command, add_failing_webhook, csrf_token, logged_in, open_page
from tests.gateway.flows import ALL_ACCESS, Connector

PAIRING_REASON = "vehicle rejected request: your public key has not been paired with the vehicle"


async def api_devices(api: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    listed = (await api.get("/v1/devices")).json()["data"]
    return {device["type"]: device for device in listed}


def ids_of(shown: Any) -> set[str]:
    return {attrs["id"] for _, attrs in shown.tags if "id" in attrs}


class TestConnectionPage:
    async def test_missing_access_shows_the_remedies(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        link = await connect(energy_sites=1, grant=["vehicle_data", "energy_data"])
        api_view = (await tenant.client.get(f"/v1/connections/{link.connection_id}")).json()
        await logged_in(gateway, tenant.api_key)

        listed = await open_page(gateway, "/console/connections")
        assert f"/console/connections/{link.connection_id}" in listed.links
        shown = await open_page(gateway, f"/console/connections/{link.connection_id}")
        assert {f"missing-{name}" for name in api_view["missing_access"]} <= ids_of(shown)
        assert {f"granted-{name}" for name in api_view["granted_access"]} <= ids_of(shown)
        assert api_view["remedies"]["manage_access_url"] in shown.links
        assert api_view["remedies"]["reconnect_api_url"] in shown.text

        form = shown.form(f"/console/connections/{link.connection_id}/reconnect")
        created = await gateway.post(form.action, data=form.data())
        assert created.status_code == 303
        after = await open_page(gateway, created.headers["location"])
        session_url = next(url for url in after.links if "/connect/cs_" in url)
        connect_session = (await tenant.client.get(f"/v1/connect-sessions/{session_url.rsplit('/', 1)[1]}")).json()
        assert connect_session["reconnect"] is True
        assert connect_session["connection_id"] == link.connection_id
        assert connect_session["status"] == "pending"
        assert connect_session["access"] == list(ALL_ACCESS)

    async def test_a_complete_connection_offers_no_reconnect(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        link = await connect(energy_sites=1)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/connections/{link.connection_id}")
        assert not any(form.action.endswith("/reconnect") for form in shown.forms)
        assert "remedies" not in ids_of(shown)


class TestDevicePage:
    async def test_capabilities_virtual_key_and_state_age(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect(energy_sites=1)
        vehicle = (await api_devices(tenant.client))["vehicle"]
        assert vehicle["capabilities"]["commands"]["reason"] == "virtual_key_not_paired"
        await logged_in(gateway, tenant.api_key)

        shown = await open_page(gateway, f"/console/devices/{vehicle['id']}")
        assert "virtual_key_not_paired" in shown.text
        assert vehicle["virtual_key"]["pairing_url"] in shown.links
        assert ("svg", "img") in [(tag, attrs.get("role")) for tag, attrs in shown.tags]
        assert "Nothing read yet" in shown.text

        read = await tenant.client.get(f"/v1/devices/{vehicle['id']}/state")
        assert read.status_code == 200, read.text
        shown = await open_page(gateway, f"/console/devices/{vehicle['id']}")
        assert "Read from Tesla" in shown.text
        assert "ago" in shown.text
        level = read.json()["data"]["battery_level_pct"]
        assert f"Battery level (%) {level:g}" in shown.text


class TestCommands:
    async def test_filtered_by_status_with_reason_and_remedy(
        self, connect: Connector, gateway: httpx.AsyncClient, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        await connect(energy_sites=1)
        vehicle = (await api_devices(tenant.client))["vehicle"]
        pairing_url = vehicle["virtual_key"]["pairing_url"]
        failed = await add_command(
            gateway_runtime,
            tenant.workspace_id,
            vehicle,
            command="door_lock",
            status="failed",
            reason=PAIRING_REASON,
            error={"code": "virtual_key_not_paired", "message": "Add the key.", "remedy": {"pairing_url": pairing_url}},
        )
        succeeded = await add_command(gateway_runtime, tenant.workspace_id, vehicle, command="flash_lights")
        await logged_in(gateway, tenant.api_key)

        everything = await open_page(gateway, "/console/commands")
        assert {f"/console/commands/{failed}", f"/console/commands/{succeeded}"} <= set(everything.links)
        only_failed = await open_page(gateway, "/console/commands?status=failed")
        assert f"/console/commands/{failed}" in only_failed.links
        assert f"/console/commands/{succeeded}" not in only_failed.links
        assert PAIRING_REASON in only_failed.text

        detail = await open_page(gateway, f"/console/commands/{failed}")
        assert "virtual_key_not_paired" in detail.text
        assert pairing_url in detail.links
        assert f"/console/devices/{vehicle['id']}" in detail.links


class TestUsage:
    async def test_the_same_numbers_as_the_api(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect(energy_sites=1)
        for device in (await api_devices(tenant.client)).values():
            assert (await tenant.client.get(f"/v1/devices/{device['id']}/state")).status_code == 200
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, "/console/usage")
        report = (await tenant.client.get("/v1/usage")).json()
        assert report["totals"]["data"] > 0
        assert f"Data {report['totals']['data']} {report['calls_per_usd']['data']} calls per $1" in shown.text
        total = report["estimated_cost_usd"]["total"]
        assert (f"${total:,.4f}" if total < 0.01 else f"${total:,.2f}") in shown.text


class TestWebhooks:
    async def test_deliveries_with_their_attempts(
        self, gateway: httpx.AsyncClient, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        rows = await add_failing_webhook(gateway_runtime, tenant.workspace_id, "https://app.example.com/hooks")
        await logged_in(gateway, tenant.api_key)

        listed = await open_page(gateway, "/console/webhooks")
        assert f"/console/webhooks/{rows.endpoint_id}" in listed.links
        assert f"/console/webhooks/deliveries/{rows.delivery_id}" in listed.links
        assert "webhook.test" in listed.text
        assert "HTTP 503" in listed.text

        endpoint = await open_page(gateway, f"/console/webhooks/{rows.endpoint_id}")
        assert "https://app.example.com/hooks" in endpoint.text
        assert f"/console/webhooks/deliveries/{rows.delivery_id}" in endpoint.links

        delivery = await open_page(gateway, f"/console/webhooks/deliveries/{rows.delivery_id}")
        assert "connection refused" in delivery.text
        assert "HTTP 503 busy" in delivery.text
        assert "Next attempt" in delivery.text


class TestTenantIsolation:
    async def test_another_workspaces_objects_are_not_found(
        self,
        connect: Connector,
        gateway: httpx.AsyncClient,
        gateway_runtime: Runtime,
        tenant: Tenant,
        other_tenant: Tenant,
    ) -> None:
        link = await connect(energy_sites=1, grant=["vehicle_data"])
        devices = await api_devices(tenant.client)
        command = await add_command(gateway_runtime, tenant.workspace_id, devices["vehicle"])
        hooks = await add_failing_webhook(gateway_runtime, tenant.workspace_id, "https://theirs.example.com/hooks")
        theirs = [
            link.connection_id,
            command,
            hooks.endpoint_id,
            hooks.delivery_id,
            "theirs.example.com",
            *(device["id"] for device in devices.values()),
        ]
        await logged_in(gateway, other_tenant.api_key)

        for path in (
            f"/console/connections/{link.connection_id}",
            *(f"/console/devices/{device['id']}" for device in devices.values()),
            f"/console/commands/{command}",
            f"/console/usage?connection_id={link.connection_id}",
            f"/console/webhooks/{hooks.endpoint_id}",
            f"/console/webhooks/deliveries/{hooks.delivery_id}",
        ):
            shown = await open_page(gateway, path, status=404)
            assert "Not found" in shown.text
            assert "Someone Else" in shown.text  # still the other workspace's console

        lists = ("/console", "/console/connections", "/console/devices", "/console/commands", "/console/webhooks")
        for path in (*lists, "/console/usage"):
            response = await gateway.get(path)
            assert response.status_code == 200
            assert not any(found in response.text for found in theirs), path

        mine = await open_page(gateway, "/console")
        refused = await gateway.post(
            f"/console/connections/{link.connection_id}/reconnect", data={"csrf_token": csrf_token(mine)}
        )
        assert refused.status_code == 404
