"""Token refresh: early, once however many requests wait (in one process and across two), durable rotation,
recovery through Tesla's 24-hour grace, scope changes made on Tesla's side, and revoked consent."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from fleetgate.app import create_app
from fleetgate.config import Settings
from fleetgate.features.connections.service import link_connection
from fleetgate.features.connections.token_storage import token_context
from fleetgate.features.devices.discovery import sync_devices
from fleetgate.features.devices.pairing import check_virtual_key
from fleetgate.features.devices.service import connection_of
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Device
from fleetgate.infra.runtime import Runtime
from fleetgate.simulator.world import World
from tests.gateway.conftest import GATEWAY_BASE, Tenant
from tests.gateway.flows import (
    ALL_ACCESS,
    Connector,
    change_access_on_tesla,
    consent_tokens,
    create_customer,
    tesla_account,
)
from tests.simulator.auth_helpers import OAuthClient
from tests.simulator.factories import SimFactory

ACCESS_TOKEN_LIFETIME = 8 * 3600
EVERYTHING_BUT_LOCATION = {
    "offline_access",
    "vehicle_device_data",
    "vehicle_cmds",
    "vehicle_charging_cmds",
    "energy_device_data",
    "energy_cmds",
}


async def slow_refreshes(sim: httpx.AsyncClient) -> None:
    """Tesla takes its time to answer a refresh, so every request arrives while one is in flight."""
    response = await sim.post("/sim/faults", json={"path": "/oauth2/v3/token", "latency_ms": 300})
    assert response.status_code == 201, response.text


def refreshes(world: World) -> int:
    """Refresh grants the simulator answered since the connection was linked: each one mints a refresh token, and
    linking minted the first."""
    return len(world.refresh_tokens) - 1


async def row(runtime: Runtime, connection_id: str) -> dict[str, Any]:
    async with runtime.engine.connect() as db:
        result = await db.execute(text("SELECT * FROM connections WHERE id = :id"), {"id": connection_id})
        return dict(result.mappings().one())


async def stored_refresh_token(runtime: Runtime, connection_id: str) -> str:
    encrypted = (await row(runtime, connection_id))["refresh_token_enc"]
    return runtime.encryptor.decrypt(encrypted, context=token_context(connection_id, "refresh_token"))


async def check_key(api: httpx.AsyncClient, device_id: str) -> httpx.Response:
    return await api.post(f"/v1/devices/{device_id}/virtual-key/check")


class TestExpiredAccessToken:
    async def test_fifty_concurrent_requests_cause_one_refresh(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tenant: Tenant,
        world: World,
    ) -> None:
        linked = await connect()
        device_id = linked.vehicle.id
        before = await row(gateway_runtime, linked.connection_id)
        assert refreshes(world) == 0
        await factory.advance(ACCESS_TOKEN_LIFETIME + 60)
        await slow_refreshes(sim)

        answers = await asyncio.gather(*(check_key(tenant.client, device_id) for _ in range(50)))

        assert [a.status_code for a in answers] == [200] * 50, {a.text for a in answers if a.status_code != 200}
        assert refreshes(world) == 1
        after = await row(gateway_runtime, linked.connection_id)
        assert after["token_version"] == before["token_version"] + 1
        assert after["refreshed_at"] is not None
        # What is stored is the refresh token Tesla issued last, the one that still works after the grace.
        newest = max(world.refresh_tokens.values(), key=lambda record: record.issued_at)
        assert await stored_refresh_token(gateway_runtime, linked.connection_id) == newest.value
        assert not newest.revoked

    async def test_two_gateway_processes_on_one_database_refresh_once(
        self,
        connect: Connector,
        gateway_settings: Settings,
        sim_app: FastAPI,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tenant: Tenant,
        world: World,
    ) -> None:
        device_id = (await connect()).vehicle.id
        await factory.advance(ACCESS_TOKEN_LIFETIME + 60)
        await slow_refreshes(sim)

        async with second_gateway(gateway_settings, sim_app, tenant.api_key) as other:
            answers = await asyncio.gather(
                *(check_key(client, device_id) for _ in range(25) for client in (tenant.client, other))
            )

        assert [a.status_code for a in answers] == [200] * 50, {a.text for a in answers if a.status_code != 200}
        assert refreshes(world) == 1

    async def test_a_token_about_to_expire_is_refreshed_before_it_is_used(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant, world: World
    ) -> None:
        linked = await connect()
        device_id = linked.vehicle.id
        # Tesla would still take it, but it expires within the leeway (300 s) by the gateway's own clock.
        soon = utcnow() + timedelta(seconds=gateway_runtime.settings.token_refresh_leeway_seconds // 2)
        async with gateway_runtime.engine.begin() as db:
            await db.execute(
                text("UPDATE connections SET access_expires_at = :soon WHERE id = :id"),
                {
                    "soon": soon.replace(tzinfo=None) if gateway_runtime.engine.dialect.name == "sqlite" else soon,
                    "id": linked.connection_id,
                },
            )
        assert (await check_key(tenant.client, device_id)).status_code == 200
        assert refreshes(world) == 1
        assert (await row(gateway_runtime, linked.connection_id))["token_version"] == 2


class TestCrashAfterRefresh:
    async def test_the_old_refresh_token_still_works_through_teslas_grace(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tenant: Tenant,
        tesla_app: dict[str, Any],
        world: World,
    ) -> None:
        linked = await connect()
        device_id = linked.vehicle.id
        # A refresh whose answer never got stored: Tesla rotated the token, the gateway still holds the old one.
        old = await stored_refresh_token(gateway_runtime, linked.connection_id)
        lost = await OAuthClient(sim, tesla_app).refresh(old)
        assert lost.status_code == 200
        await factory.advance(ACCESS_TOKEN_LIFETIME + 60)

        assert (await check_key(tenant.client, device_id)).status_code == 200
        assert refreshes(world) == 2
        rotated = await stored_refresh_token(gateway_runtime, linked.connection_id)
        assert rotated not in (old, lost.json()["refresh_token"])

        # And the token stored now is a good one: after the grace of the old one, refreshing still works.
        await factory.advance(24 * 3600 + 60)
        assert (await check_key(tenant.client, device_id)).status_code == 200
        assert refreshes(world) == 3
        connection = (await tenant.client.get(f"/v1/connections/{linked.connection_id}")).json()
        assert connection["status"] == "active"


class TestScopesChangedOnTesla:
    async def test_arrive_with_the_next_refresh_without_a_reconnect(
        self, connect: Connector, sim: httpx.AsyncClient, factory: SimFactory, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        linked = await connect()
        device_id = linked.vehicle.id
        await change_access_on_tesla(sim, tesla_app["client_id"], linked.account.email, keep=EVERYTHING_BUT_LOCATION)
        # The gateway has not asked Tesla since: it still shows what the old token said.
        shown = (await tenant.client.get(f"/v1/connections/{linked.connection_id}")).json()
        assert "vehicle_location" in shown["granted_scopes"]

        await factory.advance(ACCESS_TOKEN_LIFETIME + 60)
        assert (await check_key(tenant.client, device_id)).status_code == 200

        shown = (await tenant.client.get(f"/v1/connections/{linked.connection_id}")).json()
        assert shown["status"] == "active"
        assert "vehicle_location" not in shown["granted_scopes"]
        assert shown["missing_access"] == ["vehicle_location"]
        device = (await tenant.client.get(f"/v1/devices/{device_id}")).json()
        assert device["capabilities"]["read_location"]["reason"] == "missing_scope"
        assert device["capabilities"]["read_data"] == {"available": True}

    async def test_arrive_on_sync(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any], world: World
    ) -> None:
        linked = await connect()
        await change_access_on_tesla(sim, tesla_app["client_id"], linked.account.email, keep=EVERYTHING_BUT_LOCATION)

        response = await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")
        assert response.status_code == 200, response.text
        body = response.json()
        assert refreshes(world) == 1
        assert "vehicle_location" not in body["granted_scopes"]
        assert body["missing_access"] == ["vehicle_location"]
        (vehicle,) = body["devices"]
        assert vehicle["status"] == "active"
        assert vehicle["capabilities"]["read_location"]["reason"] == "missing_scope"
        assert vehicle["capabilities"]["read_location"]["remedy"]["missing_access"] == ["vehicle_location"]


class TestRevokedConsent:
    async def test_the_connection_needs_reconnect_and_says_how(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any], world: World
    ) -> None:
        linked = await connect()
        device_id = linked.vehicle.id
        await change_access_on_tesla(sim, tesla_app["client_id"], linked.account.email, keep=None)

        # Tesla refuses the access token; the refresh that follows answers login_required.
        response = await check_key(tenant.client, device_id)
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "needs_reconnect"
        assert error["remedy"]["reconnect_api_url"] == f"{GATEWAY_BASE}/v1/connections/{linked.connection_id}/reconnect"
        assert error["remedy"]["manage_access_url"].startswith("http://sim.test/user/revoke/consent?")
        assert "login_required" in error["message"]

        # Kept although that request failed (and rolled back).
        connection = (await tenant.client.get(f"/v1/connections/{linked.connection_id}")).json()
        assert connection["status"] == "needs_reconnect"
        assert "login_required" in connection["status_reason"]
        device = (await tenant.client.get(f"/v1/devices/{device_id}")).json()
        for capability in device["capabilities"].values():
            assert capability["available"] is False
            assert capability["reason"] == "connection_needs_reconnect"
            assert capability["remedy"] == {
                "reconnect_api_url": error["remedy"]["reconnect_api_url"],
                "reconnect_link": error["remedy"]["reconnect_link"],
                "manage_access_url": error["remedy"]["manage_access_url"],
            }

        # From now on the gateway answers without asking Tesla.
        attempts = refreshes(world)
        for path in (f"/v1/devices/{device_id}/virtual-key/check", f"/v1/connections/{linked.connection_id}/sync"):
            again = await tenant.client.post(path)
            assert again.status_code == 409
            assert again.json()["error"]["code"] == "needs_reconnect"
            assert again.json()["error"]["remedy"] == error["remedy"]
        assert refreshes(world) == attempts

    async def test_found_out_by_sync(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        linked = await connect()
        # Without offline_access Tesla stops renewing tokens, which is the same as revoking for the gateway.
        await change_access_on_tesla(sim, tesla_app["client_id"], linked.account.email, keep={"vehicle_device_data"})
        response = await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "needs_reconnect"
        assert (await row(gateway_runtime, linked.connection_id))["status"] == "needs_reconnect"


class TestRefreshInsideAWritingTransaction:
    """A transaction that already holds the connection's lock (it wrote the row, or on SQLite wrote anything)
    refreshes in itself: a second transaction would wait for it while it waits for the refresh."""

    async def test_linking_and_discovering_in_one_transaction_with_a_token_tesla_already_refuses(
        self,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tenant: Tenant,
        world: World,
    ) -> None:
        account = await tesla_account(factory)
        customer_id = await create_customer(tenant.client)
        tokens = await consent_tokens(gateway_runtime, sim, account.email, ALL_ACCESS)
        await factory.advance(ACCESS_TOKEN_LIFETIME + 60)
        # The callback commits the link before discovery; a caller that does not still must not wait on itself.
        async with asyncio.timeout(20), gateway_runtime.sessionmaker() as session, session.begin():
            connection = await link_connection(
                session,
                gateway_runtime,
                workspace_id=tenant.workspace_id,
                customer_id=customer_id,
                tokens=tokens,
                requested_access=list(ALL_ACCESS),
                connection_id=None,
            )
            await sync_devices(session, gateway_runtime, connection)
            connection_id = connection.id
        assert refreshes(world) == 1
        assert (await row(gateway_runtime, connection_id))["token_version"] == 2
        found = (await tenant.client.get("/v1/devices", params={"connection_id": connection_id})).json()["data"]
        assert [d["vin"] for d in found] == account.vins

    async def test_a_transaction_that_wrote_something_else_first(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        factory: SimFactory,
        tenant: Tenant,
        tesla_app: dict[str, Any],
        world: World,
    ) -> None:
        linked = await connect()
        device_id = linked.vehicle.id
        await factory.pair(linked.account.vins[0], tesla_app["public_key_pem"])
        await factory.advance(ACCESS_TOKEN_LIFETIME + 60)
        async with asyncio.timeout(20), gateway_runtime.sessionmaker() as session, session.begin():
            await session.execute(
                text("UPDATE workspaces SET name = 'Renamed' WHERE id = :id"), {"id": tenant.workspace_id}
            )
            device = await session.get(Device, device_id)
            assert device is not None
            await check_virtual_key(session, gateway_runtime, device, await connection_of(session, device))
            assert device.virtual_key_paired is True
        assert refreshes(world) == 1
        assert (await row(gateway_runtime, linked.connection_id))["token_version"] == 2


class second_gateway:
    """Another gateway process: its own app, engine and pool on the same database, the same Tesla."""

    def __init__(self, settings: Settings, sim_app: FastAPI, api_key: str) -> None:
        self.app = create_app(settings, tesla_transport=httpx.ASGITransport(app=sim_app))
        self.api_key = api_key
        self._lifespan: Any = None
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> httpx.AsyncClient:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url=GATEWAY_BASE,
            headers={"Authorization": f"Bearer {self.api_key}"},
        )
        return self._client

    async def __aexit__(self, *exc: object) -> None:
        assert self._client is not None
        await self._client.aclose()
        await self._lifespan.__aexit__(None, None, None)
