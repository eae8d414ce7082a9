"""The hosted connect pages clicked through in Chromium as an end user: the gateway's page, Tesla's sign-in and
consent (the simulator's), and back, with the gateway and the simulator on real ports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.gateway_site import WORKSPACE, LiveGateway, live_gateway
from tests.browser.sim_site import (
    EMAIL,
    AppSite,
    callback_reached,
    checkbox,
    horizontal_overflow,
    page_on,
    running_app_site,
)
from tests.support.live import LiveServer

ACCESS = ["vehicle_data", "vehicle_location", "vehicle_commands", "energy_data"]
BOXES = ("Refresh Tokens", "Vehicle Information", "Vehicle Commands", "Energy Product Information")


@pytest.fixture
async def env(live_sim: LiveServer, tmp_path: Path) -> AsyncIterator[LiveGateway]:
    async with live_gateway(live_sim, tmp_path) as gateway:
        account = await gateway.factory.account(EMAIL)
        await gateway.factory.vehicle(account["id"], display_name="Blue Thunder")
        await gateway.factory.energy_site(account["id"])
        yield gateway


@pytest.fixture
def app_site() -> AsyncIterator[AppSite]:
    with running_app_site() as site:
        yield site  # type: ignore[misc]


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Page]:
    async with page_on(browser, request.param) as page:
        yield page


async def connect_session(env: LiveGateway, redirect_url: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"reference_id": "user-42", "access": ACCESS}
    if redirect_url:
        body["redirect_url"] = redirect_url
    response = await env.api.post("/v1/connect-sessions", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def through_tesla_leaving_out_the_location(page: Page, session: dict[str, Any], shots: str | None) -> None:
    """The end user's trip: the hosted page, Continue, Tesla's sign-in, every box but the location, Allow."""
    await page.goto(session["url"])
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Connect your Tesla account to {WORKSPACE}")
    await expect(page.locator("#access-vehicle_location")).to_contain_text("Vehicle location")
    if shots:
        await screenshot(page, f"connect-intro-{shots}")
        assert await horizontal_overflow(page, width=390) == 0
    await page.get_by_role("link", name="Continue to Tesla").click()

    await expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    await page.get_by_role("textbox", name="Email").fill(EMAIL)
    await page.get_by_role("button", name="Next").click()
    await expect(checkbox(page, "Vehicle Location")).to_be_visible()
    for title in BOXES:
        await checkbox(page, title).check()
    await expect(checkbox(page, "Vehicle Location")).not_to_be_checked()
    await page.get_by_role("button", name="Allow").click()


class TestBackToTheApp:
    async def test_the_app_learns_the_outcome_and_what_is_missing(
        self, screen: Page, env: LiveGateway, app_site: AppSite
    ) -> None:
        session = await connect_session(env, redirect_url=app_site.callback_url)
        await through_tesla_leaving_out_the_location(screen, session, shots=None)

        await screen.wait_for_url(callback_reached(app_site))
        await expect(screen.get_by_role("heading", name="Back at the app")).to_be_visible()
        outcome = app_site.last
        assert outcome["connect_session_id"] == session["id"]
        assert outcome["status"] == "completed"
        assert outcome["missing_access"] == "vehicle_location"
        connection = (await env.api.get(f"/v1/connections/{outcome['connection_id']}")).json()
        assert connection["missing_access"] == ["vehicle_location"]
        assert connection["status"] == "active"


class TestResultPage:
    @pytest.mark.parametrize("screen_name", ["phone", "desktop"])
    async def test_it_shows_what_is_missing_and_how_to_add_the_key(
        self, browser: Browser, env: LiveGateway, screen_name: str
    ) -> None:
        session = await connect_session(env)
        async with page_on(browser, screen_name) as page:
            await through_tesla_leaving_out_the_location(page, session, shots=screen_name)

            await page.wait_for_url(f"{env.url}/connect/{session['id']}/result")
            await expect(page.get_by_role("heading", level=1)).to_have_text("Connected, with some access missing")
            await expect(page.locator("#missing-vehicle_location")).to_be_visible()
            await expect(page.get_by_role("button", name="Reconnect to grant missing access")).to_be_visible()
            vehicle = (await env.api.get("/v1/devices", params={"type": "vehicle"})).json()["data"][0]
            add_key = page.get_by_role("link", name="Add the key to Blue Thunder")
            await expect(add_key).to_have_attribute("href", vehicle["virtual_key"]["pairing_url"])
            await expect(page.get_by_role("img", name="QR code: add the key to Blue Thunder")).to_be_visible()
            await screenshot(page, f"connect-result-{screen_name}")
            assert await horizontal_overflow(page, width=390) == 0
