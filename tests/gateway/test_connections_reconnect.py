"""Connections made and reconnected through the API and the hosted pages, as an application and its user would."""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from fleetgate.config import Settings, decode_key
from fleetgate.infra.security.signed_links import LinkSigner
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
            connection["remedies"]["reconnect_api_url"].removeprefix("http://gateway.test"),
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
        assert sorted(d["type"] for d in devices_after) == ["energy_site", "vehicle"]  # now visible with energy_data
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


class TestReconnectLink:
    async def test_the_user_reconnects_from_the_link_alone(
        self, tenant: Tenant, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        connection = await connected_partially(tenant, gateway, sim, factory)
        link = connection["remedies"]["reconnect_link"]
        assert link.startswith("http://gateway.test/connect/reconnect/")
        # The same link all day: an application may store it or compare it.
        again = (await tenant.client.get(f"/v1/connections/{connection['id']}")).json()
        assert again["remedies"]["reconnect_link"] == link

        # Opening it (as a mail scanner would) makes nothing; the page names what is missing.
        page = await gateway.get(link)
        assert page.status_code == 200, page.text
        assert page.headers["cache-control"] == "no-store"
        assert "Reconnect your Tesla account" in page.text
        assert 'id="missing-vehicle_location"' in page.text

        started = await gateway.post(link)
        assert started.status_code == 303, started.text
        session_id = started.headers["location"].removeprefix("/connect/").removesuffix("/start")
        connect_session = (await tenant.client.get(f"/v1/connect-sessions/{session_id}")).json()
        assert connect_session["reconnect"] is True
        assert connect_session["connection_id"] == connection["id"]
        assert connect_session["access"] == ASKED

        done = await complete_hosted(tenant.client, gateway, sim, connect_session, email=EMAIL)
        assert done["status"] == "completed", done
        after = (await tenant.client.get(f"/v1/connections/{connection['id']}")).json()
        assert after["missing_access"] == []

    async def test_an_expired_damaged_or_forged_link_is_refused(
        self,
        tenant: Tenant,
        gateway: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        gateway_settings: Settings,
    ) -> None:
        connection = await connected_partially(tenant, gateway, sim, factory)
        link = connection["remedies"]["reconnect_link"]
        subject, expires, signature = link.rsplit("/", 1)[1].split(".")
        assert gateway_settings.encryption_key is not None
        own_key = LinkSigner(decode_key(gateway_settings.encryption_key.get_secret_value()))
        other_key = LinkSigner(secrets.token_bytes(32))
        an_hour_ago = int(time.time()) - 3600
        forged = [
            f"/connect/reconnect/{own_key.sign('reconnect_link', subject, an_hour_ago)}",
            f"/connect/reconnect/{other_key.sign('reconnect_link', subject, int(expires))}",
            f"/connect/reconnect/{own_key.sign('console_login', subject, int(expires))}",  # another purpose
            f"/connect/reconnect/{subject}.{int(expires) + 86400}.{signature}",  # a longer life
            f"/connect/reconnect/conn_other.{expires}.{signature}",  # another connection
            f"/connect/reconnect/{subject}.{expires}.{signature[:-2]}",
            f"/connect/reconnect/{subject}",
        ]
        for path in forged:
            for method in ("GET", "POST"):
                answer = await gateway.request(method, path)
                assert answer.status_code == 410, (method, path, answer.text)
                assert "This link has expired" in answer.text
