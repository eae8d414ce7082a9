"""A device's history on its console page, in Chromium at phone and desktop width: an energy site's yesterday and
outages, a car's charging sessions, each loaded from the simulator with its section's button and then shown from
storage. Screenshots only when FLEETGATE_SCREENSHOTS asks for them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from tests.browser.console_env import VEHICLE_NAME
from tests.browser.gateway_site import LiveGateway, live_gateway
from tests.browser.sim_site import EMAIL, page_on
from tests.browser.test_console import Screen
from tests.browser.test_console_command_forms import log_in
from tests.gateway.test_history_charging import charge_to_the_limit
from tests.support.live import LiveServer


@dataclass
class HistoryEnv:
    gateway: LiveGateway
    devices: dict[str, dict[str, Any]]

    @property
    def url(self) -> str:
        return f"{self.gateway.url}/console"


@pytest.fixture
async def env(live_sim: LiveServer, tmp_path: Path) -> AsyncIterator[HistoryEnv]:
    async with live_gateway(live_sim, tmp_path) as gateway:
        car = {"display_name": VEHICLE_NAME, "battery_level": 60, "charge_limit_soc": 80, "plugged_in": True}
        await gateway.connect(EMAIL, vehicles=[car], energy_sites=1)
        listed = (await gateway.api.get("/v1/devices")).json()["data"]
        devices = {device["type"]: device for device in listed}
        await charge_to_the_limit(gateway.sim, devices["vehicle"]["vin"])
        yield HistoryEnv(gateway, devices)


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Screen]:
    async with page_on(browser, request.param) as page:
        yield Screen(request.param, page)


class TestHistorySections:
    async def test_an_energy_sites_yesterday_and_outages(self, screen: Screen, env: HistoryEnv) -> None:
        page = screen.page
        await log_in(screen, env.gateway)
        await page.goto(f"{env.url}/devices/{env.devices['energy_site']['id']}")
        energy = page.get_by_role("region", name="Energy yesterday", exact=True)
        await expect(energy).to_contain_text("Not loaded yet")
        await energy.get_by_role("button", name="Load from Tesla").click()

        await expect(page.get_by_role("status")).to_have_text(
            "Energy yesterday: read from Tesla just now (billed as data)."
        )
        energy = page.get_by_role("region", name="Energy yesterday", exact=True)
        await expect(energy).to_contain_text("America/Los_Angeles")
        await expect(energy).to_contain_text("stored for good")
        await expect(energy.get_by_role("row").filter(has_text="Solar")).to_contain_text("kWh")
        await expect(energy.get_by_role("button")).to_have_count(0)

        outages = page.get_by_role("region", name="Grid outages in the last 30 days", exact=True)
        await outages.get_by_role("button", name="Load from Tesla").click()
        outages = page.get_by_role("region", name="Grid outages in the last 30 days", exact=True)
        await expect(outages).to_contain_text("No outage in this range.")
        await expect(outages.get_by_role("button", name="Refresh from Tesla")).to_be_visible()
        await page.get_by_role("region", name="History").scroll_into_view_if_needed()
        await screen.check("device-history-site")

    async def test_a_cars_charging_sessions(self, screen: Screen, env: HistoryEnv) -> None:
        page = screen.page
        await log_in(screen, env.gateway)
        await page.goto(f"{env.url}/devices/{env.devices['vehicle']['id']}")
        charging = page.get_by_role("region", name="Charging sessions in the last 30 days", exact=True)
        await expect(charging).to_contain_text("Not loaded yet")
        await charging.get_by_role("button", name="Load from Tesla").click()

        charging = page.get_by_role("region", name="Charging sessions in the last 30 days", exact=True)
        session = charging.get_by_role("row").filter(has_text="Home")
        await expect(session).to_contain_text("15.0 kWh")
        await expect(session).to_contain_text("1 h 57 min")
        await expect(charging).to_contain_text("1 session, 15.0 kWh added in all.")
        await charging.scroll_into_view_if_needed()
        await screen.check("device-history-car")
