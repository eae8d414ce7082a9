"""`GET /products`: the account's vehicles and energy sites, as far as the token's scopes let it see."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.simulator.factories import SimFactory

PRODUCTS_EXAMPLE = json.loads(Path("/work/shared/reference/payloads/products.json").read_text())["response"]


async def products(
    factory: SimFactory, sim: httpx.AsyncClient, scopes: str, **site: Any
) -> tuple[dict[str, Any], httpx.Response]:
    setup = await factory.setup(scopes=scopes)
    setup["site"] = await factory.energy_site(setup["account"]["id"], **site)
    response = await sim.get(f"{setup['base']}/products", headers=setup["headers"])
    return setup, response


def vehicles_in(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in body["response"] if "vin" in item]


def sites_in(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in body["response"] if "energy_site_id" in item]


class TestScopes:
    async def test_vehicle_scopes_show_only_vehicles(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup, response = await products(factory, sim, "openid vehicle_device_data")
        assert response.status_code == 200
        body = response.json()
        assert [v["vin"] for v in vehicles_in(body)] == [setup["vehicle"]["vin"]]
        assert sites_in(body) == []
        assert body["count"] == 1

    @pytest.mark.parametrize("scope", ["energy_device_data", "energy_cmds"])
    async def test_energy_scopes_show_only_energy_sites(
        self, factory: SimFactory, sim: httpx.AsyncClient, scope: str
    ) -> None:
        setup, response = await products(factory, sim, f"openid {scope}")
        body = response.json()
        assert vehicles_in(body) == []
        assert [s["energy_site_id"] for s in sites_in(body)] == [setup["site"]["energy_site_id"]]
        assert body["count"] == 1

    async def test_both_show_everything(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        _, response = await products(factory, sim, "openid vehicle_cmds energy_device_data")
        body = response.json()
        assert len(vehicles_in(body)) == 1
        assert len(sites_in(body)) == 1
        assert body["count"] == 2

    async def test_neither_is_403(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        _, response = await products(factory, sim, "openid user_data")
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"

    async def test_other_accounts_products_are_not_listed(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        stranger = await factory.account(email="neighbour@example.com")
        await factory.vehicle(stranger["id"])
        await factory.energy_site(stranger["id"])
        body = (await sim.get(f"{setup['base']}/products", headers=setup["headers"])).json()
        assert body["count"] == 1


class TestShapes:
    async def test_a_powerwall_site_has_the_product_fields(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        _, response = await products(factory, sim, "openid energy_device_data", site_name="Home", percentage_charged=50)
        [site] = sites_in(response.json())
        assert set(PRODUCTS_EXAMPLE[1]) <= set(site)
        assert set(PRODUCTS_EXAMPLE[1]["components"]) <= set(site["components"])
        assert site["resource_type"] == "battery"
        assert site["site_name"] == "Home"
        assert site["id"] == site["gateway_id"]
        assert site["total_pack_energy"] == 13_500
        assert site["percentage_charged"] == pytest.approx(50, abs=0.5)
        assert site["energy_left"] == pytest.approx(site["percentage_charged"] / 100 * 13_500)
        assert isinstance(site["battery_power"], int)
        assert site["storm_mode_enabled"] is False

    async def test_a_solar_only_site_is_a_solar_resource(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        _, response = await products(factory, sim, "openid energy_device_data", battery=False)
        [site] = sites_in(response.json())
        assert site["resource_type"] == "solar"
        assert site["components"]["battery"] is False
        assert site["components"]["solar"] is True
        assert "percentage_charged" not in site

    async def test_a_site_with_nothing_installed_is_bare(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        _, response = await products(factory, sim, "openid energy_device_data", battery=False, solar=False)
        [site] = sites_in(response.json())
        assert set(site) == set(PRODUCTS_EXAMPLE[2])
        assert site["components"]["battery"] is False

    async def test_vehicles_show_their_current_state(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid vehicle_device_data")
        headers, url = setup["headers"], f"{setup['base']}/products"
        assert vehicles_in((await sim.get(url, headers=headers)).json())[0]["state"] == "online"
        await factory.advance(3600)  # idle long enough to fall asleep
        assert vehicles_in((await sim.get(url, headers=headers)).json())[0]["state"] == "asleep"

    async def test_storm_mode_setting_shows_in_products(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup, _ = await products(factory, sim, "openid energy_device_data energy_cmds")
        site_path = f"{setup['base']}/energy_sites/{setup['site']['energy_site_id']}"
        await sim.post(f"{site_path}/storm_mode", json={"enabled": True}, headers=setup["headers"])
        body = (await sim.get(f"{setup['base']}/products", headers=setup["headers"])).json()
        assert sites_in(body)[0]["storm_mode_enabled"] is True


class TestBilling:
    async def test_products_is_not_billed(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup, response = await products(factory, sim, "openid vehicle_device_data energy_device_data")
        assert response.status_code == 200
        usage = (await sim.get("/sim/usage")).json()
        assert usage["totals"] == {"data": 0, "commands": 0, "wakes": 0, "streaming_signals": 0}
        assert sum(usage["endpoints"][setup["app"]["client_id"]].values()) == 1  # recorded, at no charge
