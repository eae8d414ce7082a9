"""The energy history replays the past with the settings of the time: a day that has ended reads the same whatever
is changed afterwards, and the days after a change show it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.simulator.factories import SimFactory
from tests.simulator.test_energy_endpoints import SITE_ZONE, history, local_midnight
from tests.simulator.test_energy_physics import advance, command, energy_setup, live, patch_site


async def day_entry(sim: httpx.AsyncClient, setup: dict[str, Any], start: datetime) -> dict[str, Any]:
    params = {"kind": "energy", "period": "day", "start_date": start.isoformat()}
    params["end_date"] = (start + timedelta(days=1)).isoformat()
    response = await history(sim, setup, **params)
    assert response.status_code == 200, response.text
    [entry] = response.json()["response"]["time_series"]
    return dict(entry)


async def today(sim: httpx.AsyncClient) -> datetime:
    now = (await sim.get("/sim/clock")).json()["now"]
    return datetime.fromtimestamp(now, SITE_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)


class TestSettingsOverTime:
    async def test_an_ended_day_reads_the_same_after_a_change(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        yesterday = local_midnight(1)
        before = await day_entry(sim, setup, yesterday)
        await live(sim, setup)
        await patch_site(sim, setup, solar_peak_w=0, base_load_w=3000)
        await command(sim, setup, "backup", {"backup_reserve_percent": 80})
        await command(sim, setup, "operation", {"default_real_mode": "backup"})
        await live(sim, setup)
        assert await day_entry(sim, setup, yesterday) == before

    async def test_the_days_after_a_change_show_it(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        await live(sim, setup)
        await patch_site(sim, setup, solar_peak_w=0)
        await live(sim, setup)
        await advance(sim, setup, 2 * 86_400)
        day_after = (await today(sim)) - timedelta(days=1)
        entry = await day_entry(sim, setup, day_after)
        assert entry["total_solar_generation"] == 0
        assert entry["grid_energy_imported"] > 0
        # Before the change the sun shone as ever.
        assert (await day_entry(sim, setup, local_midnight(1)))["total_solar_generation"] > 50_000
