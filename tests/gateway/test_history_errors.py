"""`GET /v1/devices/{id}/history` refusals: bad queries (422, with the field), kinds a device does not have, and
missing access (403 with the remedy, as for state reads), all before Tesla is called."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import calls
from tests.gateway.test_history_energy import history


class TestBadQueries:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"kind": "charging"}, "kind"),
            ({"start": "yesterday"}, "start"),
            ({"end": "2026-13-01"}, "end"),
            ({"start": "2026-03-01T10:00:00"}, "start"),  # no offset: which 10:00?
            ({"start": "2026-03-05", "end": "2026-03-01"}, "start"),
            ({"start": "2026-03-01", "end": "2026-05-01"}, "end"),  # 62 days of `period=day`
            ({"period": "year", "start": "2010-01-01", "end": "2026-01-01"}, "end"),
            ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ],
    )
    async def test_422_names_the_field_and_tesla_is_not_called(
        self,
        connect: Connector,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
        params: dict[str, str],
        field: str,
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        error = (await history(tenant.client, site.id, 422, **params))["error"]
        assert (error["code"], error["field"]) == ("validation_error", field)
        assert error["remedy"]["action"] == "fix_request"
        assert set(await calls(sim, tesla_app["client_id"])) == {"GET /products"}  # linking's, and no other

    async def test_a_site_has_no_charging_history_and_a_car_no_energy_history(
        self, connect: Connector, tenant: Tenant
    ) -> None:
        linked = await connect(energy_sites=1)
        error = (await history(tenant.client, linked.vehicle.id, 422, kind="energy"))["error"]
        assert error["field"] == "kind"
        assert "charging" in error["message"]
        error = (await history(tenant.client, linked.energy_site.id, 422, kind="charging"))["error"]
        assert "energy, backup" in error["message"]

    async def test_an_unknown_period_is_422(self, connect: Connector, tenant: Tenant) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        error = (await history(tenant.client, site.id, 422, period="decade"))["error"]
        assert error["code"] == "validation_error"
        assert error["details"][0]["field"] == "query.period"

    async def test_another_workspaces_device_is_404(
        self, connect: Connector, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        assert (await history(other_tenant.client, site.id, 404))["error"]["code"] == "not_found"


class TestAccess:
    async def test_charging_history_needs_the_charging_access(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect(grant=["vehicle_data", "vehicle_commands"])).vehicle
        error = (await history(tenant.client, car.id, 403))["error"]
        assert (error["code"], error["capability"]) == ("insufficient_scope", "charging_history")
        assert error["remedy"]["missing_access"] == ["vehicle_charging_commands"]
        assert error["remedy"]["reconnect_api_url"].endswith(f"/v1/connections/{car.linked.connection_id}/reconnect")
        assert {"reconnect_link", "manage_access_url"} <= set(error["remedy"])
        assert (await calls(sim, tesla_app["client_id"]))["GET /dx/charging/history"] == 0

    async def test_energy_history_needs_the_energy_data_access(self, connect: Connector, tenant: Tenant) -> None:
        site = (await connect(vehicles=[], energy_sites=1, grant=["energy_commands"])).energy_site
        for kind in ("energy", "backup"):
            error = (await history(tenant.client, site.id, 403, kind=kind))["error"]
            assert error["remedy"]["missing_access"] == ["energy_data"]

    async def test_the_device_lists_the_capability(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect(grant=["vehicle_data", "vehicle_charging_commands"])).vehicle
        device = (await tenant.client.get(f"/v1/devices/{car.id}")).json()
        assert device["capabilities"]["charging_history"] == {"available": True}


class TestUpstream:
    async def test_teslas_failure_is_a_502_and_nothing_is_stored(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        await history(tenant.client, site.id, start="2026-01-01")  # the site's time zone, known from now on
        failing = await sim.post("/sim/faults", json={"path": "/calendar_history", "status": 500, "count": 10})
        assert failing.status_code == 201, failing.text
        error = (await history(tenant.client, site.id, 502, start="2026-01-02"))["error"]
        assert error["code"] == "upstream_error"
        assert (await sim.delete("/sim/faults")).status_code == 200
        assert (await history(tenant.client, site.id, start="2026-01-02"))["source"] == "live"
