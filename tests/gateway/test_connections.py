"""Connections: linking from a consent, what the API shows (never tokens), deletion, tenant isolation."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import text

from fleetgate.features.connections.service import DifferentTeslaAccount, link_connection
from fleetgate.features.connections.token_storage import token_context
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.encryption import DecryptionError
from tests.gateway.conftest import Tenant
from tests.gateway.flows import (
    ALL_ACCESS,
    Connector,
    consent_tokens,
    create_customer,
    link_tokens,
    tesla_account,
    token_set,
)
from tests.simulator.factories import SimFactory


async def connection_row(runtime: Runtime, connection_id: str) -> dict[str, Any]:
    async with runtime.engine.connect() as db:
        result = await db.execute(text("SELECT * FROM connections WHERE id = :id"), {"id": connection_id})
        return dict(result.mappings().one())


class TestLink:
    async def test_creates_an_active_connection_from_the_tokens_claims(
        self, connect: Connector, tenant: Tenant
    ) -> None:
        linked = await connect(region="eu", access=["vehicle_data", "energy_data"])

        response = await tenant.client.get(f"/v1/connections/{linked.connection_id}")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "active"
        assert body["status_reason"] is None
        assert body["region"] == "eu"  # from the token's ou_code, although the code was exchanged for `na`
        assert set(body["granted_scopes"]) == {"openid", "offline_access", "vehicle_device_data", "energy_device_data"}
        assert body["granted_access"] == ["vehicle_data", "energy_data"]
        assert body["requested_access"] == ["vehicle_data", "energy_data"]
        assert body["missing_access"] == []
        assert body["customer_id"] == linked.customer_id
        assert body["synced_at"] is not None

    async def test_partial_consent_shows_missing_access_and_both_remedies(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(access=["vehicle_data", "vehicle_location", "vehicle_commands"], grant=["vehicle_data"])
        body = (await tenant.client.get(f"/v1/connections/{linked.connection_id}")).json()
        assert body["granted_access"] == ["vehicle_data"]
        assert body["missing_access"] == ["vehicle_location", "vehicle_commands"]
        remedies = body["remedies"]
        assert remedies["reconnect_api_url"] == f"http://gateway.test/v1/connections/{linked.connection_id}/reconnect"
        manage = urlsplit(remedies["manage_access_url"])
        assert f"{manage.scheme}://{manage.netloc}{manage.path}" == "http://sim.test/user/revoke/consent"
        assert parse_qs(manage.query) == {
            "revoke_client_id": [gateway_runtime.settings.client_id],
            "back_url": ["http://gateway.test"],
        }

    async def test_scopes_without_an_access_name_are_kept(
        self, gateway_runtime: Runtime, factory: SimFactory, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        account = await tesla_account(factory)
        customer_id = await create_customer(tenant.client)
        # `enterprise_management` is a Tesla scope fleetgate has no access name for.
        body = await factory.tokens(
            tesla_app["client_id"], account.id, "openid offline_access vehicle_device_data enterprise_management"
        )
        connection_id = await link_tokens(
            gateway_runtime, workspace_id=tenant.workspace_id, customer_id=customer_id, tokens=token_set(body)
        )
        shown = (await tenant.client.get(f"/v1/connections/{connection_id}")).json()
        assert "enterprise_management" in shown["granted_scopes"]
        assert shown["granted_access"] == ["vehicle_data"]

    async def test_the_same_tesla_account_again_updates_the_one_connection(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        first = await connect(access=["vehicle_data"])
        tokens = await consent_tokens(
            gateway_runtime, sim, first.account.email, ["vehicle_data", "energy_data"], prompt_missing_scopes=True
        )
        again = await link_tokens(
            gateway_runtime,
            workspace_id=tenant.workspace_id,
            customer_id=first.customer_id,
            tokens=tokens,
            access=["energy_data"],
        )
        assert again == first.connection_id
        listed = (await tenant.client.get("/v1/connections", params={"customer_id": first.customer_id})).json()
        assert [c["id"] for c in listed["data"]] == [first.connection_id]
        assert listed["data"][0]["requested_access"] == ["vehicle_data", "energy_data"]  # the union of both
        devices = (await tenant.client.get("/v1/devices", params={"connection_id": first.connection_id})).json()
        assert len(devices["data"]) == 1  # the same vehicle, not a second copy

    async def test_a_reconnect_with_another_tesla_account_is_refused(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, factory: SimFactory, tenant: Tenant
    ) -> None:
        linked = await connect("owner@example.com")
        stranger = await tesla_account(factory, "stranger@example.com")
        tokens = await consent_tokens(gateway_runtime, sim, stranger.email, ALL_ACCESS)
        async with gateway_runtime.sessionmaker() as session:
            with pytest.raises(DifferentTeslaAccount):
                await link_connection(
                    session,
                    gateway_runtime,
                    workspace_id=tenant.workspace_id,
                    customer_id=linked.customer_id,
                    tokens=tokens,
                    requested_access=["vehicle_data"],
                    connection_id=linked.connection_id,
                )


class TestTokensAtRest:
    async def test_are_encrypted_bound_to_the_row_and_never_returned(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(energy_sites=1)
        secrets = [linked.tokens.access_token, linked.tokens.refresh_token]
        assert all(secrets)

        row = await connection_row(gateway_runtime, linked.connection_id)
        stored = " ".join(str(value) for value in row.values())
        for secret in secrets:
            assert secret is not None
            assert secret not in stored
            assert secret.split(".")[-1] not in stored  # not even the JWT's signature part
        assert row["access_token_enc"].startswith("v1.")
        assert row["refresh_token_enc"].startswith("v1.")
        encryptor = gateway_runtime.encryptor
        assert (
            encryptor.decrypt(row["access_token_enc"], context=token_context(linked.connection_id, "access_token"))
            == linked.tokens.access_token
        )
        # Bound to its row and field: the refresh token's ciphertext does not pass for the access token.
        with pytest.raises(DecryptionError):
            encryptor.decrypt(row["refresh_token_enc"], context=token_context(linked.connection_id, "access_token"))

        for path in (
            f"/v1/connections/{linked.connection_id}",
            "/v1/connections",
            "/v1/devices",
        ):
            response = await tenant.client.get(path)
            assert response.status_code == 200
            assert not any(secret in response.text for secret in secrets if secret)
        synced = await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")
        assert synced.status_code == 200
        assert "token" not in " ".join(synced.json())


class TestList:
    async def test_filters_by_customer_and_pages(self, connect: Connector, tenant: Tenant) -> None:
        ids = []
        for n in range(3):
            linked = await connect(f"owner{n}@example.com", reference_id=f"user-{n}")
            ids.append((linked.connection_id, linked.customer_id))

        first = (await tenant.client.get("/v1/connections", params={"limit": 2})).json()
        assert len(first["data"]) == 2
        rest = (await tenant.client.get("/v1/connections", params={"limit": 2, "cursor": first["next_cursor"]})).json()
        assert rest["next_cursor"] is None
        assert sorted(c["id"] for c in first["data"] + rest["data"]) == sorted(c for c, _ in ids)

        only = (await tenant.client.get("/v1/connections", params={"customer_id": ids[1][1]})).json()
        assert [c["id"] for c in only["data"]] == [ids[1][0]]


class TestDelete:
    async def test_forgets_tokens_removes_devices_and_is_idempotent(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(energy_sites=1)

        response = await tenant.client.delete(f"/v1/connections/{linked.connection_id}")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "revoked"
        assert body["status_reason"]
        row = await connection_row(gateway_runtime, linked.connection_id)
        assert row["access_token_enc"] is None
        assert row["refresh_token_enc"] is None
        devices = (await tenant.client.get("/v1/devices", params={"connection_id": linked.connection_id})).json()
        assert {d["status"] for d in devices["data"]} == {"removed"}
        assert all(
            cap == {"available": False, "reason": "connection_revoked", "remedy": cap["remedy"]}
            for d in devices["data"]
            for cap in d["capabilities"].values()
        )

        again = await tenant.client.delete(f"/v1/connections/{linked.connection_id}")
        assert again.status_code == 200
        assert again.json() == body

        sync = await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")
        assert sync.status_code == 409
        assert sync.json()["error"]["code"] == "connection_revoked"
        vehicle = next(d for d in devices["data"] if d["type"] == "vehicle")
        check = await tenant.client.post(f"/v1/devices/{vehicle['id']}/virtual-key/check")
        assert check.status_code == 409
        assert check.json()["error"]["code"] == "connection_revoked"

    async def test_connecting_the_account_again_revives_it_with_the_same_device_ids(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        linked = await connect()
        before = (await tenant.client.get("/v1/devices")).json()["data"]
        assert (await tenant.client.delete(f"/v1/connections/{linked.connection_id}")).status_code == 200

        tokens = await consent_tokens(gateway_runtime, sim, linked.account.email, ALL_ACCESS)
        again = await link_tokens(
            gateway_runtime, workspace_id=tenant.workspace_id, customer_id=linked.customer_id, tokens=tokens
        )
        assert again == linked.connection_id
        assert (await tenant.client.get(f"/v1/connections/{again}")).json()["status"] == "active"
        after = (await tenant.client.get("/v1/devices")).json()["data"]
        assert [(d["id"], d["status"]) for d in after] == [(before[0]["id"], "active")]


class TestTenantIsolation:
    async def test_another_workspace_sees_nothing(
        self, connect: Connector, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        linked = await connect(energy_sites=1)
        device_id = linked.vehicle.id
        other = other_tenant.client

        for method, path in (
            ("GET", f"/v1/connections/{linked.connection_id}"),
            ("POST", f"/v1/connections/{linked.connection_id}/sync"),
            ("POST", f"/v1/connections/{linked.connection_id}/reconnect"),
            ("DELETE", f"/v1/connections/{linked.connection_id}"),
            ("GET", f"/v1/devices/{device_id}"),
            ("GET", f"/v1/devices/{device_id}/capabilities"),
            ("GET", f"/v1/devices/{device_id}/virtual-key"),
            ("POST", f"/v1/devices/{device_id}/virtual-key/check"),
        ):
            response = await other.request(method, path)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["error"]["code"] == "not_found"
        assert (await other.get("/v1/connections")).json()["data"] == []
        assert (await other.get("/v1/connections", params={"customer_id": linked.customer_id})).json()["data"] == []
        assert (await other.get("/v1/devices")).json()["data"] == []
        assert (await other.get("/v1/devices", params={"connection_id": linked.connection_id})).json()["data"] == []
        # Still there for its owner.
        assert (await tenant.client.get(f"/v1/connections/{linked.connection_id}")).json()["status"] == "active"


class TestRegion:
    async def test_a_region_change_reported_by_tesla_is_kept(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(region="eu")
        # As if the user had lived in North America when they connected: Tesla now answers 421 there.
        async with gateway_runtime.engine.begin() as db:
            await db.execute(text("UPDATE connections SET region = 'na' WHERE id = :id"), {"id": linked.connection_id})

        response = await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")
        assert response.status_code == 200, response.text
        assert response.json()["region"] == "eu"
        assert (await connection_row(gateway_runtime, linked.connection_id))["region"] == "eu"
        assert [d["status"] for d in response.json()["devices"]] == ["active"]
