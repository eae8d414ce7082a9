"""State read after a command changed the device: a reading made before a command succeeded is not served from the
cache, and an energy site's `site_info` (otherwise kept for a few minutes) is read again, so the state shows the
change at once."""

from __future__ import annotations

from typing import Any

import httpx

from tests.gateway.commands_support import finished
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import LIVE_STATUS, SITE_INFO, calls, read


class TestSiteSettingsAfterACommand:
    async def test_a_succeeded_command_makes_the_next_read_fetch_site_info_again(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        before = await read(tenant.client, site.id, raw=True)
        assert before["data"]["backup_reserve_pct"] != 35
        counted = await calls(sim, tesla_app["client_id"])
        assert counted[SITE_INFO] == 1

        done = await finished(tenant.client, site.id, "set_backup_reserve", {"percent": 35})
        assert done["status"] == "succeeded", done

        after = await read(tenant.client, site.id, max_age=0, raw=True)
        assert after["data"]["backup_reserve_pct"] == 35
        assert after["raw"]["site_info_fetched_at"] > before["raw"]["site_info_fetched_at"]
        counted = await calls(sim, tesla_app["client_id"])
        assert (counted[LIVE_STATUS], counted[SITE_INFO]) == (2, 2)

        # Once read after the command, site_info is kept again for the next reads.
        again = await read(tenant.client, site.id, max_age=0, raw=True)
        assert again["raw"]["site_info_fetched_at"] == after["raw"]["site_info_fetched_at"]
        counted = await calls(sim, tesla_app["client_id"])
        assert (counted[LIVE_STATUS], counted[SITE_INFO]) == (3, 2)

    async def test_a_failed_command_keeps_the_site_info(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        before = await read(tenant.client, site.id, raw=True)
        fault = await sim.post(
            "/sim/faults", json={"path": f"/api/1/energy_sites/{site.external_id}/backup", "status": 400, "count": 1}
        )
        assert fault.status_code in (200, 201), fault.text

        done = await finished(tenant.client, site.id, "set_backup_reserve", {"percent": 35})
        assert done["status"] == "failed", done

        after = await read(tenant.client, site.id, max_age=0, raw=True)
        assert after["raw"]["site_info_fetched_at"] == before["raw"]["site_info_fetched_at"]
        assert after["data"]["backup_reserve_pct"] == before["data"]["backup_reserve_pct"]


class TestVehicleStateAfterACommand:
    async def test_a_state_read_before_a_succeeded_command_is_not_served_after_it(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        assert (await sim.patch(f"/sim/vehicles/{car.external_id}", json={"locked": False})).status_code == 200
        before = await read(tenant.client, car.id)
        assert before["data"]["locked"] is False
        assert (await read(tenant.client, car.id, max_age=600))["source"] == "cache"

        assert (await finished(tenant.client, car.id, "door_lock"))["status"] == "succeeded"
        after = await read(tenant.client, car.id, max_age=600)
        assert after["source"] == "live"
        assert after["data"]["locked"] is True
        # Read after the command, the state is served from the cache again.
        assert (await read(tenant.client, car.id, max_age=600))["source"] == "cache"

    async def test_a_failed_command_leaves_the_cache_alone(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect(vehicles=[{"plugged_in": False}], paired=True)).vehicle
        await read(tenant.client, car.id)
        assert (await finished(tenant.client, car.id, "charge_start"))["status"] == "failed"
        assert (await read(tenant.client, car.id, max_age=600))["source"] == "cache"
