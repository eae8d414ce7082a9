"""Connections made and reconnected through the API and the hosted pages, as an application and its user would."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.gateway.conftest import Tenant
from tests.gateway.flows import complete_hosted, connect_hosted, tesla_account
from tests.simulator.factories import SimFactory

EMAIL = "owner@example.com"
ASKED = ["vehicle_data", "vehicle_location", "vehicle_commands"]


async def connected_partially(
    tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
) -> dict[str, Any]:
    await tesla_account(factory, EMAIL, energy_sites=1)
    done = await connect_hosted(tenant.client, gateway, sim, email=EMAIL, access=ASKED, grant=["vehicle_data"])
    assert done["status"] == "completed", done
    connection: dict[str, Any] = (await tenant.client.get(f"/v1/connections/{done['connection_id']}")).json()
    return connection


class TestHostedConnect:
    async def test_partial_consent_leaves_capabilities_with_remedies(
        self, tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        connection = await connected_partially(tenant, gateway, sim, factory)
        assert connection["status"] == "active"
        assert connection["granted_access"] == ["vehicle_data"]
        assert connection["missing_access"] == ["vehicle_location", "vehicle_commands"]
        (vehicle,) = (await tenant.client.get("/v1/devices", params={"connection_id": connection["id"]})).json()["data"]
        location = vehicle["capabilities"]["read_location"]
        assert location["available"] is False
        assert location["reason"] == "missing_scope"
        assert location["remedy"] == {"missing_access": ["vehicle_location"], **connection["remedies"]}


class TestReconnect:
    async def test_asks_again_and_updates_the_same_connection_and_devices(
        self, tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        connection = await connected_partially(tenant, gateway, sim, factory)
        devices_before = (await tenant.client.get("/v1/devices")).json()["data"]

        response = await tenant.client.post(
            connection["remedies"]["reconnect_url"].removeprefix("http://gateway.test"),
            json={"redirect_url": "https://app.example.com/tesla/done", "access": ["energy_data"]},
        )
        assert response.status_code == 201, response.text
        connect_session = response.json()
        assert connect_session["reconnect"] is True
        assert connect_session["connection_id"] == connection["id"]
        assert connect_session["customer_id"] == connection["customer_id"]
        assert connect_session["status"] == "pending"
        assert connect_session["access"] == [*ASKED, "energy_data"]
        assert connect_session["url"] == f"http://gateway.test/connect/{connect_session['id']}"

        done = await complete_hosted(tenant.client, gateway, sim, connect_session, email=EMAIL)
        assert parse_qs(urlsplit(done["authorize_url"]).query)["prompt_missing_scopes"] == ["true"]
        assert done["status"] == "completed", done
        assert done["connection_id"] == connection["id"]

        after = (await tenant.client.get(f"/v1/connections/{connection['id']}")).json()
        assert after["status"] == "active"
        assert after["granted_access"] == [*ASKED, "energy_data"]
        assert after["missing_access"] == []
        listed = (await tenant.client.get("/v1/connections")).json()["data"]
        assert [c["id"] for c in listed] == [connection["id"]]
        devices_after = (await tenant.client.get("/v1/devices")).json()["data"]
        vehicle_id = devices_before[0]["id"]
        assert [d["id"] for d in devices_after if d["type"] == "vehicle"] == [vehicle_id]
        assert [d["type"] for d in devices_after] == ["vehicle", "energy_site"]  # now visible with energy_data
        vehicle = next(d for d in devices_after if d["id"] == vehicle_id)
        assert vehicle["capabilities"]["read_location"] == {"available": True}

    async def test_without_a_body_asks_for_what_the_connection_asked_for(
        self, tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        connection = await connected_partially(tenant, gateway, sim, factory)
        response = await tenant.client.post(f"/v1/connections/{connection['id']}/reconnect")
        assert response.status_code == 201, response.text
        assert response.json()["access"] == ASKED
        assert response.json()["redirect_url"] is None

    async def test_bad_input_is_refused_with_the_field(
        self, tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        connection = await connected_partially(tenant, gateway, sim, factory)
        path = f"/v1/connections/{connection['id']}/reconnect"
        unknown = await tenant.client.post(path, json={"access": ["teleport"]})
        assert unknown.status_code == 422
        assert unknown.json()["error"]["code"] == "validation_error"
        assert unknown.json()["error"]["field"] == "access"
        bad_url = await tenant.client.post(path, json={"redirect_url": "javascript:alert(1)"})
        assert bad_url.status_code == 422
        assert bad_url.json()["error"]["field"] == "redirect_url"
        extra = await tenant.client.post(path, json={"scopes": ["vehicle_cmds"]})
        assert extra.status_code == 422
        unknown_connection = await tenant.client.post("/v1/connections/conn_nothing/reconnect")
        assert unknown_connection.status_code == 404
