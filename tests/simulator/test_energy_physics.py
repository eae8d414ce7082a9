"""How an energy site's power flows follow mode, reserve, storm watch, outages, export rules and simulated time.

Everything goes through HTTP: the clock is moved to a local hour of the site's time zone, the site is read (which
brings it up to that time), its charge or grid is set through the control API, and live_status shows the result.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.simulator.factories import ALL_USER_SCOPES, SimFactory

SITE_ZONE = ZoneInfo("America/Los_Angeles")  # the zone a new site is installed in
POWERWALL_W = 5000
PACK_WH = 13_500


async def energy_setup(factory: SimFactory, *, scopes: str = ALL_USER_SCOPES, **site: Any) -> dict[str, Any]:
    setup = await factory.setup(scopes=scopes)
    created = await factory.energy_site(setup["account"]["id"], **site)
    site_id = created["energy_site_id"]
    path = f"{setup['base']}/energy_sites/{site_id}"
    return {**setup, "site": created, "site_id": site_id, "path": path, "scopes": scopes}


async def advance(sim: httpx.AsyncClient, setup: dict[str, Any], seconds: float) -> None:
    """Moves simulated time; access tokens live 8 hours, so the setup gets fresh ones."""
    assert (await sim.post("/sim/clock", json={"advance_seconds": seconds})).status_code == 200
    response = await sim.post(
        "/sim/tokens",
        json={"client_id": setup["app"]["client_id"], "account_id": setup["account"]["id"], "scopes": setup["scopes"]},
    )
    assert response.status_code == 201, response.text
    setup["headers"] = {"Authorization": f"Bearer {response.json()['access_token']}"}


async def move_to_local_hour(sim: httpx.AsyncClient, setup: dict[str, Any], hour: float) -> None:
    """Moves simulated time forward to the next `hour` (local to the site)."""
    now = (await sim.get("/sim/clock")).json()["now"]
    local = datetime.fromtimestamp(now, SITE_ZONE)
    target = local.replace(hour=int(hour), minute=round(hour % 1 * 60), second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    await advance(sim, setup, target.timestamp() - now)


async def live(sim: httpx.AsyncClient, setup: dict[str, Any]) -> dict[str, Any]:
    response = await sim.get(f"{setup['path']}/live_status", headers=setup["headers"])
    assert response.status_code == 200, response.text
    status: dict[str, Any] = response.json()["response"]
    return status


async def patch_site(sim: httpx.AsyncClient, setup: dict[str, Any], **changes: Any) -> None:
    response = await sim.patch(f"/sim/energy_sites/{setup['site_id']}", json=changes)
    assert response.status_code == 200, response.text


async def command(sim: httpx.AsyncClient, setup: dict[str, Any], name: str, body: dict[str, Any]) -> None:
    response = await sim.post(f"{setup['path']}/{name}", json=body, headers=setup["headers"])
    assert response.status_code == 200, response.text


async def at_hour(sim: httpx.AsyncClient, setup: dict[str, Any], hour: float, **changes: Any) -> dict[str, Any]:
    """The site at a local hour, with `changes` applied right then (after the site has caught up)."""
    await move_to_local_hour(sim, setup, hour)
    await live(sim, setup)
    if changes:
        await patch_site(sim, setup, **changes)
    return await live(sim, setup)


def assert_balanced(status: dict[str, Any]) -> None:
    expected = status["load_power"] - status["solar_power"] - status["battery_power"]
    assert abs(status["grid_power"] - expected) <= 2


class TestSolarAndLoad:
    async def test_solar_is_zero_at_night_and_peaks_at_noon(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        night = await at_hour(sim, setup, 3)
        assert night["solar_power"] == 0
        morning = await at_hour(sim, setup, 9)
        noon = await at_hour(sim, setup, 12)
        assert 0 < morning["solar_power"] < noon["solar_power"]
        assert abs(noon["solar_power"] - 7000) <= 5

    async def test_solar_peak_follows_the_sites_setting(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        noon = await at_hour(sim, setup, 12, solar_peak_w=3000)
        assert abs(noon["solar_power"] - 3000) <= 5

    async def test_a_site_without_solar_produces_nothing(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory, solar=False)
        assert (await at_hour(sim, setup, 12))["solar_power"] == 0

    async def test_load_follows_a_daily_shape_around_the_base_load(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        night = await at_hour(sim, setup, 3)
        evening = await at_hour(sim, setup, 19)
        assert night["load_power"] < 1200 < evening["load_power"]
        doubled = await at_hour(sim, setup, 3, base_load_w=2400)
        assert abs(doubled["load_power"] - 2 * night["load_power"]) <= 2


class TestSelfConsumption:
    async def test_at_night_the_battery_serves_the_load_then_stops_at_the_reserve(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        status = await at_hour(sim, setup, 22, percentage_charged=25)
        assert status["solar_power"] == 0
        assert status["battery_power"] == status["load_power"] > 0
        assert status["grid_power"] == 0
        await advance(sim, setup, 4 * 3600)
        later = await live(sim, setup)
        assert later["percentage_charged"] == pytest.approx(20, abs=1e-6)
        assert later["battery_power"] == 0
        assert later["grid_power"] == later["load_power"] > 0

    async def test_at_noon_surplus_solar_charges_the_battery(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        status = await at_hour(sim, setup, 12, percentage_charged=40)
        surplus = status["solar_power"] - status["load_power"]
        assert status["battery_power"] == -min(surplus, POWERWALL_W)
        assert_balanced(status)
        await advance(sim, setup, 1800)
        later = await live(sim, setup)
        assert later["percentage_charged"] > 40 + 2000 / PACK_WH * 100

    async def test_a_full_battery_exports_surplus_solar(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        status = await at_hour(sim, setup, 12, percentage_charged=100)
        assert status["battery_power"] == 0
        assert status["grid_power"] < 0
        assert_balanced(status)

    async def test_two_batteries_double_the_power(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory, battery_count=2)
        status = await at_hour(sim, setup, 12, percentage_charged=40, solar_peak_w=15_000)
        assert status["battery_power"] == -2 * POWERWALL_W
        assert status["total_pack_energy"] == 2 * PACK_WH

    async def test_the_outcome_does_not_depend_on_how_often_the_site_is_read(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        other = await factory.energy_site(setup["account"]["id"])
        other_path = f"{setup['base']}/energy_sites/{other['energy_site_id']}/live_status"
        await move_to_local_hour(sim, setup, 10)
        await live(sim, setup)
        await sim.get(other_path, headers=setup["headers"])
        await patch_site(sim, setup, percentage_charged=30)
        assert (
            await sim.patch(f"/sim/energy_sites/{other['energy_site_id']}", json={"percentage_charged": 30})
        ).is_success
        for _ in range(36):
            await advance(sim, setup, 300)
            await live(sim, setup)
        polled = await live(sim, setup)
        once = (await sim.get(other_path, headers=setup["headers"])).json()["response"]
        assert polled["percentage_charged"] == pytest.approx(once["percentage_charged"], abs=0.01)
        assert polled["percentage_charged"] > 40


class TestBackupMode:
    async def test_backup_mode_charges_from_the_grid_and_never_discharges(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        await at_hour(sim, setup, 22, percentage_charged=50)
        await command(sim, setup, "operation", {"default_real_mode": "backup"})
        status = await live(sim, setup)
        assert status["battery_power"] == -POWERWALL_W
        assert status["grid_power"] == status["load_power"] + POWERWALL_W
        await advance(sim, setup, 3 * 3600)
        full = await live(sim, setup)
        assert full["percentage_charged"] == pytest.approx(100)
        assert full["battery_power"] == 0
        assert full["grid_power"] == full["load_power"]

    async def test_disallowing_grid_charging_on_a_solar_site_stops_it(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        await at_hour(sim, setup, 22, percentage_charged=50)
        await command(sim, setup, "operation", {"default_real_mode": "backup"})
        await command(sim, setup, "grid_import_export", {"disallow_charge_from_grid_with_solar_installed": True})
        status = await live(sim, setup)
        assert status["battery_power"] == 0
        assert status["grid_power"] == status["load_power"]


class TestAutonomousMode:
    async def test_the_evening_peak_discharges_at_full_power_when_battery_exports_are_allowed(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        await command(sim, setup, "operation", {"default_real_mode": "autonomous"})
        await command(sim, setup, "grid_import_export", {"customer_preferred_export_rule": "battery_ok"})
        status = await at_hour(sim, setup, 18.5, percentage_charged=80)
        assert status["battery_power"] == POWERWALL_W
        assert status["grid_power"] < 0
        assert_balanced(status)

    async def test_the_evening_peak_only_covers_the_home_with_pv_only_exports(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        await command(sim, setup, "operation", {"default_real_mode": "autonomous"})
        status = await at_hour(sim, setup, 18.5, percentage_charged=80)
        assert status["battery_power"] == status["load_power"]
        assert status["grid_power"] == 0

    async def test_the_peak_stops_at_the_reserve(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        await command(sim, setup, "operation", {"default_real_mode": "autonomous"})
        await command(sim, setup, "grid_import_export", {"customer_preferred_export_rule": "battery_ok"})
        await command(sim, setup, "backup", {"backup_reserve_percent": 40})
        await at_hour(sim, setup, 16, percentage_charged=60)
        await advance(sim, setup, 2 * 3600)
        status = await live(sim, setup)
        assert status["percentage_charged"] == pytest.approx(40, abs=1e-6)
        assert status["battery_power"] == 0


class TestStormWatch:
    async def test_an_active_storm_watch_behaves_like_backup(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        await command(sim, setup, "storm_mode", {"enabled": True})
        quiet = await at_hour(sim, setup, 22, percentage_charged=50)
        assert quiet["storm_mode_active"] is False
        assert quiet["battery_power"] > 0
        await patch_site(sim, setup, storm_mode_active=True)
        storm = await live(sim, setup)
        assert storm["storm_mode_active"] is True
        assert storm["battery_power"] == -POWERWALL_W

    async def test_a_storm_is_ignored_when_storm_watch_is_off(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        status = await at_hour(sim, setup, 22, percentage_charged=50, storm_mode_active=True)
        assert status["storm_mode_active"] is False
        assert status["battery_power"] > 0


class TestGridOutage:
    async def test_an_outage_islands_the_site_and_the_battery_goes_below_the_reserve(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        status = await at_hour(sim, setup, 22, percentage_charged=15, grid_status="Inactive")
        assert status["grid_status"] == "Inactive"
        assert status["island_status"] == "off_grid"
        assert status["grid_power"] == 0
        assert status["battery_power"] == status["load_power"] > 0
        await advance(sim, setup, 4 * 3600)
        empty = await live(sim, setup)
        assert empty["percentage_charged"] == pytest.approx(0, abs=1e-6)
        assert empty["grid_power"] == 0
        assert empty["load_power"] == empty["battery_power"] == 0

    async def test_at_noon_an_islanded_site_with_a_full_battery_curtails_solar(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        status = await at_hour(sim, setup, 12, percentage_charged=100, grid_status="Inactive")
        assert status["grid_power"] == 0
        assert status["battery_power"] == 0
        assert status["solar_power"] == status["load_power"] > 0

    async def test_the_grid_coming_back_puts_the_site_on_grid(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        await at_hour(sim, setup, 22, percentage_charged=15, grid_status="Inactive")
        await patch_site(sim, setup, grid_status="Active")
        status = await live(sim, setup)
        assert status["island_status"] == "on_grid"
        assert status["battery_power"] == 0  # below the reserve again
        assert status["grid_power"] == status["load_power"]


class TestExportRule:
    async def test_never_curtails_solar_instead_of_exporting(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        await command(sim, setup, "grid_import_export", {"customer_preferred_export_rule": "never"})
        status = await at_hour(sim, setup, 12, percentage_charged=100)
        assert status["grid_power"] == 0
        assert status["solar_power"] == status["load_power"]

    async def test_a_solar_only_site_exports_its_surplus(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory, battery=False)
        status = await at_hour(sim, setup, 12)
        assert status["battery_power"] == 0
        assert status["backup_capable"] is False
        assert math.isclose(status["grid_power"], status["load_power"] - status["solar_power"], abs_tol=2)
