"""`GET /v1/devices/{id}/state` for energy sites: values as the simulator has them, `site_info` re-read only every
few minutes, one upstream read for concurrent requests, and the scope check."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import LIVE_STATUS, SITE_INFO, calls, read


async def sim_site(sim: httpx.AsyncClient, site_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await sim.get(f"/sim/energy_sites/{site_id}")).json()
    return found


class TestEnergySiteState:
    async def test_values_match_the_simulators(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        site = (await connect(energy_sites=1)).energy_site
        body = await read(tenant.client, site.id, raw=True)
        truth = await sim_site(sim, site.external_id)

        assert body["type"] == "energy_site"
        assert body["source"] == "live"
        assert body["online_state"] is None
        data = body["data"]
        # Settings, exactly.
        assert data["backup_reserve_pct"] == truth["backup_reserve_percent"]
        assert data["operation_mode"] == truth["operation_mode"]
        assert data["storm_mode_enabled"] is truth["storm_mode_enabled"]
        assert data["storm_mode_active"] is False
        assert data["grid_status"] == "connected"
        assert data["battery_capacity_wh"] == truth["total_pack_energy_wh"]
        # The battery drifts with simulated time between the read and this look.
        assert abs(data["battery_level_pct"] - truth["percentage_charged"]) < 0.5
        assert abs(data["battery_energy_wh"] - truth["total_pack_energy_wh"] * data["battery_level_pct"] / 100) < 1
        # Power, as Tesla said it, with Tesla's signs: what the home uses comes from the sun, the battery and the grid.
        live = body["raw"]["live_status"]
        assert data["solar_power_w"] == live["solar_power"]
        assert data["battery_power_w"] == live["battery_power"]
        assert data["grid_power_w"] == live["grid_power"]
        assert data["load_power_w"] == live["load_power"]
        flows = data["solar_power_w"] + data["battery_power_w"] + data["grid_power_w"]
        assert abs(data["load_power_w"] - flows) <= 2
        assert body["raw"]["site_info"]["site_name"] == truth["site_name"]

    async def test_site_info_is_reread_only_every_few_minutes(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(energy_sites=1)).energy_site
        first = await read(tenant.client, site.id, raw=True)
        counted = await calls(sim, tesla_app["client_id"])
        assert (counted[LIVE_STATUS], counted[SITE_INFO]) == (1, 1)

        outage = await sim.patch(f"/sim/energy_sites/{site.external_id}", json={"grid_status": "Inactive"})
        assert outage.status_code == 200, outage.text
        second = await read(tenant.client, site.id, max_age=0, raw=True)
        assert second["source"] == "live"
        assert second["data"]["grid_status"] == "islanded"
        assert second["data"]["backup_reserve_pct"] == first["data"]["backup_reserve_pct"]
        assert second["raw"]["site_info"] == first["raw"]["site_info"]
        assert second["raw"]["site_info_fetched_at"] == first["raw"]["site_info_fetched_at"]
        counted = await calls(sim, tesla_app["client_id"])
        assert (counted[LIVE_STATUS], counted[SITE_INFO]) == (2, 1)

    async def test_concurrent_reads_make_one_upstream_read(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(energy_sites=1)).energy_site
        slow = await sim.post("/sim/faults", json={"path": "/live_status", "latency_ms": 300, "count": 1})
        assert slow.status_code == 201, slow.text
        answers = await asyncio.gather(*(read(tenant.client, site.id) for _ in range(10)))
        assert len({answer["fetched_at"] for answer in answers}) == 1
        counted = await calls(sim, tesla_app["client_id"])
        assert (counted[LIVE_STATUS], counted[SITE_INFO]) == (1, 1)

    async def test_missing_energy_data_is_refused_before_any_upstream_call(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(energy_sites=1, grant=["energy_commands"])).energy_site
        before = await calls(sim, tesla_app["client_id"])
        error = (await read(tenant.client, site.id, 403))["error"]
        assert error["code"] == "insufficient_scope"
        assert error["capability"] == "energy_data"
        assert error["remedy"]["missing_access"] == ["energy_data"]
        assert await calls(sim, tesla_app["client_id"]) == before
