"""What `GET /v1/devices/{id}/state` refuses, each before any upstream call: a missing scope, another workspace's
device, a removed device, a connection that needs a reconnect. And how the endpoint is documented."""

from __future__ import annotations

import json
from typing import Any

import httpx

from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import GATEWAY_BASE, Tenant
from tests.gateway.flows import Connector, change_access_on_tesla
from tests.gateway.test_device_state import calls, read, stored
from tests.simulator.factories import SimFactory


class TestRefusals:
    async def test_missing_scope_is_refused_before_any_upstream_call(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        # With commands only, Tesla lists the car, but its data may not be read.
        car = (await connect(grant=["vehicle_commands"])).vehicle
        before = await calls(sim, tesla_app["client_id"])
        error = (await read(tenant.client, car.id, 403, wake=True))["error"]
        assert error["code"] == "insufficient_scope"
        assert error["capability"] == "read_data"
        assert error["missing_scopes"] == ["vehicle_device_data"]
        assert error["remedy"]["missing_access"] == ["vehicle_data"]
        assert (
            error["remedy"]["reconnect_api_url"]
            == f"{GATEWAY_BASE}/v1/connections/{car.linked.connection_id}/reconnect"
        )
        assert error["remedy"]["manage_access_url"].startswith("http://sim.test/user/revoke/consent?")
        assert await calls(sim, tesla_app["client_id"]) == before
        assert await stored(gateway_runtime, car.id) is None

    async def test_another_workspaces_device_is_not_found(
        self,
        connect: Connector,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        other_tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        car = (await connect()).vehicle
        await read(tenant.client, car.id)
        before = await calls(sim, tesla_app["client_id"])
        for device_id in (car.id, "dev_nosuchdevice"):
            error = (await read(other_tenant.client, device_id, 404, max_age=0))["error"]
            assert error["code"] == "not_found"
            assert "battery" not in json.dumps(error)
        assert (await read(tenant.client, "dev_nosuchdevice", 404))["error"]["code"] == "not_found"
        assert await calls(sim, tesla_app["client_id"]) == before

    async def test_a_removed_device_is_gone(
        self, connect: Connector, sim: httpx.AsyncClient, factory: SimFactory, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        await read(tenant.client, car.id)
        buyer = await factory.account(email="buyer@example.com")
        sold = await sim.patch(f"/sim/vehicles/{car.external_id}", json={"account_id": buyer["id"]})
        assert sold.status_code == 200, sold.text
        synced = await tenant.client.post(f"/v1/connections/{car.linked.connection_id}/sync")
        assert synced.status_code == 200, synced.text
        before = await calls(sim, tesla_app["client_id"])

        error = (await read(tenant.client, car.id, 410))["error"]
        assert error["code"] == "device_removed"
        assert error["device_id"] == car.id
        assert await calls(sim, tesla_app["client_id"]) == before

    async def test_revoked_consent_needs_a_reconnect(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        await change_access_on_tesla(sim, tesla_app["client_id"], car.linked.account.email, keep=None)
        error = (await read(tenant.client, car.id, 409))["error"]
        assert error["code"] == "needs_reconnect"
        assert error["remedy"]["reconnect_api_url"].endswith(f"/v1/connections/{car.linked.connection_id}/reconnect")

        # Known now: the next read is refused without asking Tesla.
        before = await calls(sim, tesla_app["client_id"])
        assert (await read(tenant.client, car.id, 409))["error"]["code"] == "needs_reconnect"
        assert await calls(sim, tesla_app["client_id"]) == before


class TestOpenAPI:
    async def test_the_state_is_documented_with_units_and_errors(self, gateway: httpx.AsyncClient) -> None:
        schema = (await gateway.get("/openapi.json")).json()
        operation = schema["paths"]["/v1/devices/{device_id}/state"]["get"]
        assert {"200", "403", "404", "409", "410", "429", "502", "504"} <= set(operation["responses"])
        assert {parameter["name"] for parameter in operation["parameters"]} >= {"max_age", "wake", "raw"}
        models = schema["components"]["schemas"]
        vehicle = models["VehicleData"]["properties"]
        assert "km" in vehicle["battery_range_km"]["description"]
        assert "°C" in vehicle["inside_temp_c"]["description"]
        assert "read_location" in vehicle["location"]["description"]
        energy = models["EnergySiteData"]["properties"]
        assert "discharging" in energy["battery_power_w"]["description"]
        assert "importing" in energy["grid_power_w"]["description"]
        assert "last_known_state" in models["VehicleAsleepDetail"]["properties"]
