"""The usage ledger and `GET /v1/usage`: every Fleet API call recorded by Tesla's billing category, per connection
and device, equal to what the simulator (Tesla) counted, with the estimated cost at Tesla's prices.

Upstream calls the device-state endpoint will make are made here directly through `fleet_api`, as a request would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import select

from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.connections.tesla_errors import upstream_errors
from fleetgate.infra.errors import APIError
from fleetgate.infra.models import Connection, UpstreamCall
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.api import FleetApi
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.simulator.factories import SimFactory

T = TypeVar("T")
CATEGORIES = ("data", "commands", "wakes", "streaming_signals")
# With a Powerwall: one car takes REST commands, the other only signed ones.
REST_AND_SIGNED = [{"command_signing": "allowed"}, {"command_signing": "required"}]


@asynccontextmanager
async def request_like(runtime: Runtime, connection_id: str) -> AsyncIterator[FleetApi]:
    """Calls to Tesla as a route makes them: one transaction, Tesla's errors as API errors."""
    async with runtime.sessionmaker() as session, session.begin():
        connection = await session.get(Connection, connection_id)
        assert connection is not None
        async with upstream_errors(runtime, session, connection), fleet_api(runtime, session, connection) as api:
            yield api


async def call(runtime: Runtime, connection_id: str, action: Callable[[FleetApi], Awaitable[T]]) -> T:
    async with request_like(runtime, connection_id) as api:
        return await action(api)


async def api_error(runtime: Runtime, connection_id: str, action: Callable[[FleetApi], Awaitable[Any]]) -> APIError:
    with pytest.raises(APIError) as caught:
        await call(runtime, connection_id, action)
    return caught.value


async def sim_usage(sim: httpx.AsyncClient, client_id: str) -> dict[str, Any]:
    report = (await sim.get("/sim/usage")).json()
    client: dict[str, Any] = report["clients"].get(client_id, {"totals": dict.fromkeys(CATEGORIES, 0), "devices": {}})
    client["endpoints"] = report["endpoints"].get(client_id, {})
    return client


async def usage(api: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await api.get("/v1/usage", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def ledger(runtime: Runtime, connection_id: str) -> list[UpstreamCall]:
    async with runtime.sessionmaker() as session:
        rows = await session.scalars(
            select(UpstreamCall).where(UpstreamCall.connection_id == connection_id).order_by(UpstreamCall.at)
        )
        return list(rows.all())


class TestLedgerEqualsTesla:
    async def test_a_mix_of_calls_counts_as_tesla_counts_it(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        linked = await connect(vehicles=REST_AND_SIGNED, energy_sites=1)
        rest_car, signed_car = linked.account.vins
        site = linked.account.energy_site_ids[0]
        ids = linked.device_ids
        runtime, conn = gateway_runtime, linked.connection_id

        # Through the API: a sync and a virtual-key check (products and fleet_status, not billed).
        assert (await tenant.client.post(f"/v1/connections/{conn}/sync")).status_code == 200
        assert (await tenant.client.post(f"/v1/devices/{ids[rest_car]}/virtual-key/check")).status_code == 200
        # What reading state and sending commands will do.
        await call(runtime, conn, lambda api: api.vehicle(rest_car))
        for _ in range(3):
            await call(runtime, conn, lambda api: api.vehicle_data(rest_car))
        await call(runtime, conn, lambda api: api.wake_up(signed_car))
        assert (await call(runtime, conn, lambda api: api.command(rest_car, "flash_lights")))["result"] is True
        # Refused by the car's signing requirement: billed all the same.
        refused = await api_error(runtime, conn, lambda api: api.command(signed_car, "honk_horn"))
        assert (refused.status, refused.code) == (409, "signing_required")
        await call(runtime, conn, lambda api: api.site_info(site))
        await call(runtime, conn, lambda api: api.live_status(site))
        await call(runtime, conn, lambda api: api.calendar_history(site, kind="energy"))
        await call(runtime, conn, lambda api: api.energy_command(site, "backup", {"backup_reserve_percent": 40}))
        # A sleeping car answers 408: billed as data too.
        await sim.patch(f"/sim/vehicles/{signed_car}", json={"state": "asleep"})
        asleep = await api_error(runtime, conn, lambda api: api.vehicle_data(signed_car))
        assert asleep.code == "vehicle_asleep"

        tesla = await sim_usage(sim, tesla_app["client_id"])
        ours = await usage(tenant.client)
        expected = {"data": 3 + 3 + 1, "commands": 1 + 1 + 1, "wakes": 1, "streaming_signals": 0}
        assert {name: tesla["totals"][name] for name in CATEGORIES} == expected
        assert ours["totals"] == expected
        [connection] = ours["by_connection"]
        assert connection["connection_id"] == conn
        assert connection["customer_id"] == linked.customer_id
        assert connection["counts"] == expected
        per_device = {d["device_id"]: d["counts"] for d in connection["devices"]}
        assert per_device == {
            ids[key]: {name: counts[name] for name in CATEGORIES} for key, counts in tesla["devices"].items()
        }
        # Unbilled calls: products and fleet_status at linking and at the sync, fleet_status of the check, GET vehicle.
        tesla_unbilled = sum(tesla["endpoints"].values()) - sum(tesla["totals"].values())
        assert ours["unbilled_calls"] == tesla_unbilled == 6
        assert ours["errors_not_billed"] == 0

        # Every row says what it was.
        rows = await ledger(runtime, conn)
        assert all(row.status is not None and row.workspace_id == tenant.workspace_id for row in rows)
        data = [row for row in rows if row.endpoint == "/api/1/vehicles/{vehicle_tag}/vehicle_data"]
        assert [(row.method, row.status, row.billable, row.device_key) for row in data] == [
            ("GET", 200, True, rest_car)
        ] * 3 + [("GET", 408, True, signed_car)]
        assert {row.device_id for row in data} == {ids[rest_car], ids[signed_car]}
        backup = next(row for row in rows if row.endpoint.endswith("/backup"))
        assert (backup.category, backup.device_key, backup.device_id) == ("commands", str(site), ids[str(site)])

    async def test_costs_at_teslas_prices(self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant) -> None:
        linked = await connect(vehicles=REST_AND_SIGNED, energy_sites=1)
        vin = linked.account.vins[0]
        for _ in range(5):
            await call(gateway_runtime, linked.connection_id, lambda api: api.vehicle_data(vin))
        for _ in range(2):
            await call(gateway_runtime, linked.connection_id, lambda api: api.wake_up(vin))
        await call(gateway_runtime, linked.connection_id, lambda api: api.command(vin, "flash_lights"))

        ours = await usage(tenant.client)
        # data 500 per $1, commands 1,000 per $1, wakes 50 per $1; Tesla's $10 monthly credit is not subtracted.
        cost = {"data": 0.01, "commands": 0.001, "wakes": 0.04, "streaming_signals": 0.0, "total": 0.051}
        assert ours["estimated_cost_usd"] == cost
        assert ours["by_connection"][0]["estimated_cost_usd"] == cost
        assert ours["calls_per_usd"] == {"data": 500, "commands": 1000, "wakes": 50, "streaming_signals": 150_000}


class TestFailures:
    async def test_a_call_sent_again_after_a_refused_token_is_billed_once(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        linked = await connect(vehicles=REST_AND_SIGNED, energy_sites=1)
        site = linked.account.energy_site_ids[0]
        # Tesla's clock passes the access token's expiry; ours does not know yet, so the call goes out with it.
        await factory.advance(9 * 3600)
        await call(gateway_runtime, linked.connection_id, lambda api: api.live_status(site))

        rows = [row for row in await ledger(gateway_runtime, linked.connection_id) if row.category == "data"]
        assert [(row.status, row.billable) for row in rows] == [(401, False), (200, True)]
        ours = await usage(tenant.client)
        assert ours["totals"]["data"] == (await sim_usage(sim, tesla_app["client_id"]))["totals"]["data"] == 1
        assert ours["errors_not_billed"] == 1

    async def test_calls_of_a_request_that_rolls_back_stay_recorded(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=REST_AND_SIGNED, energy_sites=1)
        vin = linked.account.vins[0]

        class Boom(Exception):
            pass

        async def read_then_fail() -> None:
            async with request_like(gateway_runtime, linked.connection_id) as api:
                await api.vehicle_data(vin)
                raise Boom

        with pytest.raises(Boom):
            await read_then_fail()
        assert (await usage(tenant.client))["totals"]["data"] == 1

    async def test_a_sync_that_fails_at_tesla_still_counts_its_calls(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=REST_AND_SIGNED, energy_sites=1)
        before = await ledger(gateway_runtime, linked.connection_id)
        fault = await sim.post("/sim/faults", json={"path": "fleet_status", "status": 503, "count": 1})
        assert fault.status_code == 201

        response = await tenant.client.post(f"/v1/connections/{linked.connection_id}/sync")
        assert response.status_code == 502, response.text
        assert response.json()["error"]["code"] == "upstream_error"

        new = (await ledger(gateway_runtime, linked.connection_id))[len(before) :]
        assert [(row.endpoint, row.status, row.billable) for row in new] == [
            ("/api/1/products", 200, False),
            ("/api/1/vehicles/fleet_status", 503, False),
        ]

    async def test_answers_of_500_and_above_are_not_billed(
        self, connect: Connector, gateway_runtime: Runtime, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=REST_AND_SIGNED, energy_sites=1)
        vin = linked.account.vins[0]
        await sim.post("/sim/faults", json={"path": "vehicle_data", "status": 500, "count": 1})
        failed = await api_error(gateway_runtime, linked.connection_id, lambda api: api.vehicle_data(vin))
        assert failed.code == "upstream_error"
        await call(gateway_runtime, linked.connection_id, lambda api: api.vehicle_data(vin))

        ours = await usage(tenant.client)
        assert ours["totals"]["data"] == 1
        assert ours["errors_not_billed"] == 1


class TestUsageApi:
    async def test_period_and_connection_filters(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        first = await connect(
            "first@example.com", vehicles=REST_AND_SIGNED, energy_sites=1, reference_id="first@example.com"
        )
        second = await connect(
            "second@example.com", vehicles=REST_AND_SIGNED, energy_sites=1, reference_id="second@example.com"
        )
        await call(gateway_runtime, first.connection_id, lambda api: api.vehicle_data(first.account.vins[0]))
        for _ in range(2):
            await call(gateway_runtime, second.connection_id, lambda api: api.wake_up(second.account.vins[0]))

        everything = await usage(tenant.client)
        assert everything["totals"] == {"data": 1, "commands": 0, "wakes": 2, "streaming_signals": 0}
        assert [c["connection_id"] for c in everything["by_connection"]] == sorted(
            [first.connection_id, second.connection_id]
        )
        period = everything["period"]
        assert period["from"] < period["to"]
        assert period["from"].startswith(period["to"][:8])  # this month, from the 1st
        assert period["from"][8:19] == "01T00:00:00"

        only_second = await usage(tenant.client, connection_id=second.connection_id)
        assert only_second["totals"] == {"data": 0, "commands": 0, "wakes": 2, "streaming_signals": 0}
        assert [c["connection_id"] for c in only_second["by_connection"]] == [second.connection_id]

        before = await usage(tenant.client, to=period["from"])
        assert before["totals"] == {"data": 0, "commands": 0, "wakes": 0, "streaming_signals": 0}
        assert before["by_connection"] == []
        assert before["unbilled_calls"] == 0

    async def test_bad_periods_are_refused(self, tenant: Tenant) -> None:
        response = await tenant.client.get("/v1/usage", params={"from": "2025-02-01T00:00:00Z", "to": "2025-01-01"})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "validation_error"
        response = await tenant.client.get("/v1/usage", params={"from": "last tuesday"})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "validation_error"

    async def test_tenants_see_only_their_own_usage(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=REST_AND_SIGNED, energy_sites=1)
        await call(gateway_runtime, linked.connection_id, lambda api: api.vehicle_data(linked.account.vins[0]))

        theirs = await usage(other_tenant.client)
        assert theirs["totals"] == {"data": 0, "commands": 0, "wakes": 0, "streaming_signals": 0}
        assert theirs["by_connection"] == []
        assert theirs["unbilled_calls"] == 0
        response = await other_tenant.client.get("/v1/usage", params={"connection_id": linked.connection_id})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert (await usage(tenant.client))["totals"]["data"] == 1

    async def test_needs_an_api_key(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/v1/usage")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
