"""`GET /v1/devices/{id}/state` for vehicles: normalised values, raw payloads, freshness from the shared database,
one upstream read for many concurrent requests, and the location only with its scope. (Refusals, the wake policy
and energy sites have files of their own; they share the helpers here.)

Upstream calls are counted with the simulator's own ledger (`GET /sim/usage`), by endpoint."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from fleetgate.app import create_app
from fleetgate.config import Settings
from fleetgate.infra.models import DeviceState
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import GATEWAY_BASE, Tenant
from tests.gateway.flows import Connector, change_access_on_tesla
from tests.simulator.factories import SimFactory

VEHICLE = "GET /vehicles/{vehicle_tag}"
VEHICLE_DATA = "GET /vehicles/{vehicle_tag}/vehicle_data"
WAKE_UP = "POST /vehicles/{vehicle_tag}/wake_up"
LIVE_STATUS = "GET /energy_sites/{energy_site_id}/live_status"
SITE_INFO = "GET /energy_sites/{energy_site_id}/site_info"
NO_LOCATION = ["vehicle_data", "vehicle_commands", "vehicle_charging_commands", "energy_data"]


async def calls(sim: httpx.AsyncClient, client_id: str) -> Counter[str]:
    """Fleet API calls the simulator answered for this app, by endpoint (unbilled ones too, such as GET vehicle)."""
    report = (await sim.get("/sim/usage")).json()
    return Counter(report["endpoints"].get(client_id, {}))


async def read(api: httpx.AsyncClient, device_id: str, status: int = 200, **params: Any) -> dict[str, Any]:
    query = {name: str(value).lower() if isinstance(value, bool) else str(value) for name, value in params.items()}
    response = await api.get(f"/v1/devices/{device_id}/state", params=query)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def stored(runtime: Runtime, device_id: str) -> DeviceState | None:
    async with runtime.sessionmaker() as session:
        row: DeviceState | None = await session.scalar(select(DeviceState).where(DeviceState.device_id == device_id))
        return row


async def sim_vehicle(sim: httpx.AsyncClient, vin: str) -> dict[str, Any]:
    found: dict[str, Any] = (await sim.get(f"/sim/vehicles/{vin}")).json()
    return found


class TestVehicleState:
    async def test_normalised_values_are_the_cars(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(vehicles=[{"plugged_in": True}])).vehicle
        changed = await sim.patch(
            f"/sim/vehicles/{car.external_id}",
            json={"locked": False, "sentry_mode": True, "inside_temp": 23.4, "odometer": 1000.0},
        )
        assert changed.status_code == 200, changed.text
        body = await read(tenant.client, car.id)
        truth = await sim_vehicle(sim, car.external_id)

        assert body["device_id"] == car.id
        assert body["type"] == "vehicle"
        assert body["source"] == "live"
        assert body["online_state"] == "online"
        assert 0 <= body["age_seconds"] < 5
        assert "raw" not in body
        data = body["data"]
        assert data["online_state"] == "online"
        assert data["battery_level_pct"] == round(truth["battery_level"])
        assert data["charge_limit_pct"] == truth["charge_limit_soc"]
        assert data["charging_state"] == "stopped"
        assert data["plugged_in"] is True
        assert data["charge_port_open"] == truth["charge_port_door_open"]
        assert data["locked"] is False
        assert data["sentry_mode"] is True
        assert data["climate_on"] is False
        assert data["inside_temp_c"] == 23.4
        assert data["driver_temp_setting_c"] == truth["driver_temp_setting"]
        assert data["odometer_mi"] == 1000.0
        assert data["odometer_km"] == 1609.34
        assert data["battery_range_km"] == round(data["battery_range_mi"] * 1.609344, 2)
        assert data["software_version"] == truth["firmware"]
        assert data["scheduled_charging"] == {"enabled": False, "start_minute": None}
        assert data["location"] == {
            "latitude": truth["latitude"],
            "longitude": truth["longitude"],
            "heading_deg": 90.0,
        }

    async def test_raw_on_request_from_tesla_and_from_the_cache(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect()).vehicle
        live = await read(tenant.client, car.id, raw=True)
        vehicle_data = live["raw"]["vehicle_data"]
        assert vehicle_data["vin"] == car.external_id
        assert vehicle_data["charge_state"]["battery_level"] == live["data"]["battery_level_pct"]
        assert vehicle_data["drive_state"]["latitude"] == live["data"]["location"]["latitude"]
        cached = await read(tenant.client, car.id, raw=True)
        assert cached["source"] == "cache"
        assert cached["raw"] == live["raw"]
        assert "raw" not in await read(tenant.client, car.id)


class TestFreshness:
    async def test_a_read_within_max_age_makes_no_upstream_call(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        first = await read(tenant.client, car.id)
        before = await calls(sim, tesla_app["client_id"])
        assert before[VEHICLE_DATA] == 1
        assert before[VEHICLE] == 1

        await sim.patch(f"/sim/vehicles/{car.external_id}", json={"locked": False})
        second = await read(tenant.client, car.id, max_age=300)
        assert second["source"] == "cache"
        assert second["fetched_at"] == first["fetched_at"]
        assert second["data"] == first["data"]  # the car changed, but the caller accepts a five-minute-old state
        assert second["age_seconds"] >= 0
        assert await calls(sim, tesla_app["client_id"]) == before

        await asyncio.sleep(0.3)
        third = await read(tenant.client, car.id, max_age=0.2)
        assert third["source"] == "live"
        assert third["fetched_at"] > first["fetched_at"]
        assert third["data"]["locked"] is False
        assert (await calls(sim, tesla_app["client_id"]))[VEHICLE_DATA] == 2

        forced = await read(tenant.client, car.id, max_age=0)
        assert forced["source"] == "live"
        assert (await calls(sim, tesla_app["client_id"]))[VEHICLE_DATA] == 3

    async def test_the_stored_state_serves_another_process(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        gateway_settings: Settings,
        sim_app: FastAPI,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        car = (await connect()).vehicle
        first = await read(tenant.client, car.id)
        row = await stored(gateway_runtime, car.id)
        assert row is not None
        assert row.data == first["data"]
        assert row.online_state == "online"
        assert row.has_location is True
        before = await calls(sim, tesla_app["client_id"])

        # A second gateway on the same database: nothing of the first one's memory, only what was stored.
        async with second_gateway(gateway_settings, sim_app, tenant.api_key) as other:
            again = await read(other, car.id)
            assert again["source"] == "cache"
            assert again["fetched_at"] == first["fetched_at"]
            assert again["data"] == first["data"]
        assert await calls(sim, tesla_app["client_id"]) == before


@asynccontextmanager
async def second_gateway(settings: Settings, sim_app: FastAPI, api_key: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, tesla_transport=httpx.ASGITransport(app=sim_app))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=GATEWAY_BASE,
            headers={"Authorization": f"Bearer {api_key}"},
        ) as client,
    ):
        yield client


class TestCoalescing:
    async def test_twenty_concurrent_reads_make_one_upstream_read(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        # Tesla takes its time, so the requests arrive while the first read is in flight.
        slow = await sim.post("/sim/faults", json={"path": "/vehicle_data", "latency_ms": 400, "count": 1})
        assert slow.status_code == 201, slow.text

        answers = await asyncio.gather(*(read(tenant.client, car.id) for _ in range(20)))
        counted = await calls(sim, tesla_app["client_id"])
        assert counted[VEHICLE_DATA] == 1
        assert counted[VEHICLE] == 1
        assert len({answer["fetched_at"] for answer in answers}) == 1
        assert len({json.dumps(answer["data"], sort_keys=True) for answer in answers}) == 1
        # Most waited for the same read (a latecomer may find it stored already): coalesced, not merely cached.
        assert sum(answer["source"] == "live" for answer in answers) >= 10

        assert (await read(tenant.client, car.id))["source"] == "cache"
        assert (await calls(sim, tesla_app["client_id"]))[VEHICLE_DATA] == 1


class TestLocation:
    async def test_without_the_scope_it_is_never_asked_for_nor_stored(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(grant=NO_LOCATION)).vehicle
        # The premise: this token cannot get the location; asking for it would be refused, and the read would fail.
        refused = await sim.get(
            f"/na/api/1/vehicles/{car.external_id}/vehicle_data",
            params={"endpoints": "location_data"},
            headers={"Authorization": f"Bearer {car.linked.tokens.access_token}"},
        )
        assert refused.status_code == 403

        body = await read(tenant.client, car.id, raw=True)
        assert body["source"] == "live"
        assert body["data"]["battery_level_pct"] is not None
        assert "location" not in body["data"]
        assert "drive_state" not in body["raw"]["vehicle_data"]
        row = await stored(gateway_runtime, car.id)
        assert row is not None
        assert row.has_location is False
        for text in (json.dumps(body), json.dumps(row.data), json.dumps(row.raw)):
            assert "latitude" not in text
            assert "longitude" not in text

    async def test_taken_away_on_teslas_side_the_rest_is_still_read(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        keep = {"offline_access", "vehicle_device_data", "vehicle_cmds", "vehicle_charging_cmds"}
        await change_access_on_tesla(sim, tesla_app["client_id"], car.linked.account.email, keep=keep)

        # The connection's scopes say location until the next refresh; Tesla refuses it now.
        body = await read(tenant.client, car.id, raw=True)
        assert body["data"]["battery_level_pct"] is not None
        assert body["data"]["location"] is None
        assert "latitude" not in json.dumps(body["raw"])
        counted = await calls(sim, tesla_app["client_id"])
        assert counted[VEHICLE_DATA] == 2  # the refused one, and the one without location
        assert (await read(tenant.client, car.id))["source"] == "cache"
        assert (await calls(sim, tesla_app["client_id"]))[VEHICLE_DATA] == 2

    async def test_a_stored_location_is_hidden_once_the_scope_is_gone(
        self, connect: Connector, sim: httpx.AsyncClient, factory: SimFactory, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        first = await read(tenant.client, car.id, raw=True)
        assert first["data"]["location"] is not None
        keep = {"offline_access", "vehicle_device_data", "vehicle_cmds", "vehicle_charging_cmds"}
        await change_access_on_tesla(sim, tesla_app["client_id"], car.linked.account.email, keep=keep)
        # The gateway learns of it with the next token (a sync asks Tesla for one).
        await factory.advance(8 * 3600 + 60)
        synced = await tenant.client.post(f"/v1/connections/{car.linked.connection_id}/sync")
        assert synced.status_code == 200, synced.text
        assert "vehicle_location" not in synced.json()["granted_scopes"]
        before = await calls(sim, tesla_app["client_id"])

        cached = await read(tenant.client, car.id, raw=True)
        assert cached["source"] == "cache"
        assert cached["fetched_at"] == first["fetched_at"]
        assert "location" not in cached["data"]
        assert cached["data"]["battery_level_pct"] == first["data"]["battery_level_pct"]
        assert "latitude" not in json.dumps(cached)
        assert await calls(sim, tesla_app["client_id"]) == before
