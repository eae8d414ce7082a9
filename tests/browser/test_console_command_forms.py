"""Sending commands of the whole catalogue from the console, in Chromium at phone and desktop width: a command
chosen from the select grouped by family, a text parameter, an object parameter typed as JSON, and bad JSON refused
in the form with the field marked. Screenshots only when FLEETGATE_SCREENSHOTS asks for them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from tests.browser.console_env import VEHICLE_NAME, finished
from tests.browser.gateway_site import WORKSPACE, LiveGateway, live_gateway
from tests.browser.sim_site import EMAIL, page_on
from tests.browser.test_console import Screen
from tests.support.live import LiveServer


@dataclass
class FormsEnv:
    gateway: LiveGateway
    vehicle: dict[str, Any]

    @property
    def url(self) -> str:
        return f"{self.gateway.url}/console"


@pytest.fixture
async def env(live_sim: LiveServer, tmp_path: Path) -> AsyncIterator[FormsEnv]:
    async with live_gateway(live_sim, tmp_path) as gateway:
        await gateway.connect(EMAIL, vehicles=[{"display_name": VEHICLE_NAME}], paired=True)
        listed = (await gateway.api.get("/v1/devices", params={"type": "vehicle"})).json()["data"]
        yield FormsEnv(gateway, listed[0])


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Screen]:
    async with page_on(browser, request.param) as page:
        yield Screen(request.param, page)


async def log_in(screen: Screen, gateway: LiveGateway) -> None:
    page = screen.page
    await page.goto(f"{gateway.url}/console")
    await page.get_by_label("API key").fill(gateway.api_key)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(WORKSPACE)


class TestCommandForms:
    async def test_a_text_parameter_from_the_chosen_commands_form(self, screen: Screen, env: FormsEnv) -> None:
        page = screen.page
        await log_in(screen, env.gateway)
        await page.goto(f"{env.url}/devices/{env.vehicle['id']}")
        await page.get_by_role("link", name="Send a command").click()
        family = "Media, navigation and software"
        await expect(page.get_by_role("region", name=family)).to_contain_text("set_vehicle_name")
        await expect(page.locator(f'#command-choice optgroup[label="{family}"]')).to_contain_text("set_vehicle_name")
        await screen.check("send-command-families")
        await page.get_by_label("Choose a command").select_option("set_vehicle_name")
        await page.get_by_role("button", name="Show its form").click()
        form = page.locator("#command-set_vehicle_name")
        await expect(page.locator("#command-honk_horn")).to_have_count(0)
        await expect(form.get_by_label("Vehicle Name")).to_have_attribute("maxlength", "40")
        await form.get_by_label("Vehicle Name").fill("Red Rocket")
        await form.get_by_role("button", name="Send set_vehicle_name").click()

        await expect(page.get_by_role("heading", level=1)).to_have_text("Command set_vehicle_name")
        await expect(page.get_by_role("status")).to_contain_text("set_vehicle_name queued")
        await expect(page.get_by_role("main")).to_contain_text('"vehicle_name": "Red Rocket"')
        command_id = page.url.rsplit("/", 1)[1]
        assert (await finished(env.gateway, command_id))["status"] == "succeeded"

    async def test_an_object_parameter_as_json_and_bad_json_refused(self, screen: Screen, env: FormsEnv) -> None:
        page = screen.page
        await log_in(screen, env.gateway)
        await page.goto(f"{env.url}/devices/{env.vehicle['id']}/commands/new")
        form = page.locator("#command-navigation_request")
        value = form.get_by_label("Value", exact=True)
        await value.fill('{"android.intent.extra.TEXT": }')
        await form.get_by_role("button", name="Send navigation_request").click()

        form = page.locator("#command-navigation_request")
        await expect(form.get_by_role("alert")).to_contain_text("value is not valid JSON")
        await expect(page.locator("#command-honk_horn")).to_have_count(0)
        value = form.get_by_label("Value", exact=True)
        await expect(value).to_have_attribute("aria-invalid", "true")
        await expect(value).to_have_value('{"android.intent.extra.TEXT": }')
        # The form comes back with the API's status, 422, which the browser notes as an error of its own.
        screen.errors[:] = [error for error in screen.errors if "status of 422" not in error]
        await screen.check("send-command-bad-json")
        await value.fill('{"android.intent.extra.TEXT": "1 Infinite Loop, Cupertino"}')
        await form.get_by_role("button", name="Send navigation_request").click()

        await expect(page.get_by_role("heading", level=1)).to_have_text("Command navigation_request")
        await expect(page.get_by_role("main")).to_contain_text("1 Infinite Loop, Cupertino")
        command_id = page.url.rsplit("/", 1)[1]
        command = await finished(env.gateway, command_id)
        assert command["params"]["value"] == {"android.intent.extra.TEXT": "1 Infinite Loop, Cupertino"}
        assert command["status"] == "succeeded"
