"""The hosted connect pages clicked through in Chromium as an end user: the gateway's page, Tesla's sign-in and
consent (the simulator's), the pairing step with the simulator's key approval, and back, with the gateway and the
simulator on real ports.

Each hosted page is checked on a phone (390 px, and nothing wider at 320 px) and a desktop: one h1, its landmarks,
no browser errors (nothing the Content-Security-Policy blocked), the workspace's accent on its primary button; and
saved as `connect-<page>-<screen>.png` when FLEETGATE_SCREENSHOTS asks for screenshots."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, expect

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
    sign_in,
)
from tests.support.live import LiveServer

ACCESS = ["vehicle_data", "vehicle_location", "vehicle_commands", "energy_data"]
BOXES = ("Refresh Tokens", "Vehicle Information", "Vehicle Commands", "Energy Product Information")
CAR = "Blue Thunder"
ACCENT = "#0f766e"
ACCENT_RGB = "rgb(15, 118, 110)"


@dataclass
class Screen:
    name: str
    page: Page
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self.noted)

    def noted(self, message: ConsoleMessage) -> None:
        # The browser asks for /favicon.ico on its own before it reads the page's icon link; a page answered with
        # an error status (404, 410) is reported too, and is what the test opened.
        source = message.location.get("url", "")
        if message.type == "error" and not source.endswith("/favicon.ico") and source != self.page.url:
            self.errors.append(message.text)

    async def check(self, shot: str) -> None:
        """One h1, the landmarks, no browser errors, the accent on a primary button, a screenshot if asked; on the
        phone, nothing scrolls sideways at 390 or 320 px."""
        assert self.errors == [], shot
        await expect(self.page.locator("h1")).to_have_count(1)
        for landmark in ("banner", "main", "contentinfo"):
            await expect(self.page.get_by_role(landmark)).to_have_count(1)
        primary = self.page.locator(".button.primary, .brand-mark").first
        if await primary.count():
            assert await primary.evaluate("el => getComputedStyle(el).backgroundColor") == ACCENT_RGB, shot
        await screenshot(self.page, f"connect-{shot}-{self.name}")
        if self.name == "phone":
            assert await horizontal_overflow(self.page, width=390) == 0, shot
            assert await horizontal_overflow(self.page, width=320) == 0, shot


@pytest.fixture
async def env(live_sim: LiveServer, tmp_path: Path) -> AsyncIterator[LiveGateway]:
    async with live_gateway(live_sim, tmp_path) as gateway:
        branded = await gateway.api.patch("/v1/workspace", json={"accent_color": ACCENT})
        assert branded.status_code == 200, branded.text
        account = await gateway.factory.account(EMAIL)
        await gateway.factory.vehicle(account["id"], display_name=CAR)
        await gateway.factory.energy_site(account["id"])
        yield gateway


@pytest.fixture
def app_site() -> AsyncIterator[AppSite]:
    with running_app_site() as site:
        yield site  # type: ignore[misc]


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Screen]:
    async with page_on(browser, request.param) as page:
        yield Screen(request.param, page)


async def connect_session(env: LiveGateway, redirect_url: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"reference_id": "user-42", "access": ACCESS}
    if redirect_url:
        body["redirect_url"] = redirect_url
    response = await env.api.post("/v1/connect-sessions", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def through_tesla_leaving_out_the_location(screen: Screen, session: dict[str, Any]) -> None:
    """The end user's trip: the hosted page, Continue, Tesla's sign-in, every box but the location, Allow."""
    page = screen.page
    await page.goto(session["url"])
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Connect your Tesla account to {WORKSPACE}")
    await expect(page.locator("#access-vehicle_location")).to_contain_text("Vehicle location")
    await expect(page.get_by_role("main")).to_contain_text(f"add {WORKSPACE}'s virtual key to your car")
    await screen.check("intro")
    await page.get_by_role("link", name="Continue to Tesla").click()

    await sign_in(page)
    await expect(checkbox(page, "Vehicle Location")).to_be_visible()
    for title in BOXES:
        await checkbox(page, title).check()
    await expect(checkbox(page, "Vehicle Location")).not_to_be_checked()
    await page.get_by_role("button", name="Allow").click()


async def on_the_pairing_step(screen: Screen, env: LiveGateway, session: dict[str, Any]) -> None:
    page = screen.page
    await page.wait_for_url(f"{env.url}/connect/{session['id']}/pairing")
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Add {WORKSPACE}'s virtual key to your car")
    vehicle = (await env.api.get("/v1/devices", params={"type": "vehicle"})).json()["data"][0]
    add_key = page.get_by_role("link", name=f"Add the key to {CAR}")
    await expect(add_key).to_have_attribute("href", vehicle["virtual_key"]["pairing_url"])
    await expect(page.get_by_role("img", name=f"QR code: add the key to {CAR}")).to_be_visible()
    await screen.check("pairing")


class TestBackToTheApp:
    async def test_skipping_the_pairing_step_gives_the_app_the_outcome(
        self, screen: Screen, env: LiveGateway, app_site: AppSite
    ) -> None:
        session = await connect_session(env, redirect_url=app_site.callback_url)
        await through_tesla_leaving_out_the_location(screen, session)
        await on_the_pairing_step(screen, env, session)
        await screen.page.get_by_role("link", name="Skip for now").click()

        await screen.page.wait_for_url(callback_reached(app_site))
        await expect(screen.page.get_by_role("heading", name="Back at the app")).to_be_visible()
        outcome = app_site.last
        assert outcome["connect_session_id"] == session["id"]
        assert outcome["status"] == "completed"
        assert outcome["missing_access"] == "vehicle_location"
        connection = (await env.api.get(f"/v1/connections/{outcome['connection_id']}")).json()
        assert connection["missing_access"] == ["vehicle_location"]
        assert connection["status"] == "active"


class TestPairingStep:
    async def test_adding_the_key_then_checking_again_marks_the_car_and_continues_to_the_app(
        self, screen: Screen, env: LiveGateway, app_site: AppSite
    ) -> None:
        page = screen.page
        session = await connect_session(env, redirect_url=app_site.callback_url)
        await through_tesla_leaving_out_the_location(screen, session)
        await on_the_pairing_step(screen, env, session)

        # What the owner does in the Tesla app, here on the simulator's approval page in the same browser.
        await page.get_by_role("link", name=f"Add the key to {CAR}").click()
        await sign_in(page)
        await page.get_by_role("button", name="Approve").click()
        await expect(page.get_by_role("heading", name="Virtual key added")).to_be_visible()
        await page.goto(f"{env.url}/connect/{session['id']}/pairing")

        await page.get_by_role("button", name="I've added it, check again").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Your car has the key")
        await expect(page.locator(".vehicle")).to_contain_text("Key added")
        await screen.check("pairing-done")
        await page.get_by_role("link", name=f"Continue to {WORKSPACE}").click()
        await page.wait_for_url(callback_reached(app_site))
        assert app_site.last["status"] == "completed"
        vehicle = (await env.api.get("/v1/devices", params={"type": "vehicle"})).json()["data"][0]
        assert vehicle["virtual_key"]["paired"] is True


class TestResultPage:
    async def test_it_shows_what_is_missing_and_leads_back_to_the_key(self, screen: Screen, env: LiveGateway) -> None:
        page = screen.page
        session = await connect_session(env)
        await through_tesla_leaving_out_the_location(screen, session)
        await on_the_pairing_step(screen, env, session)
        await page.get_by_role("link", name="Skip for now").click()

        await page.wait_for_url(f"{env.url}/connect/{session['id']}/result")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Connected, with some access missing")
        await expect(page.locator("#missing-vehicle_location")).to_be_visible()
        await expect(page.get_by_role("button", name="Reconnect to grant missing access")).to_be_visible()
        await expect(page.get_by_role("main")).to_contain_text(f"{CAR} doesn't have {WORKSPACE}'s key yet")
        await expect(page.get_by_role("link", name="Add the key")).to_have_attribute(
            "href", f"/connect/{session['id']}/pairing"
        )
        await screen.check("result")


class TestDeclined:
    async def test_the_page_speaks_to_the_user_and_leads_back_to_the_app(
        self, screen: Screen, env: LiveGateway, app_site: AppSite
    ) -> None:
        page = screen.page
        session = await connect_session(env, redirect_url=app_site.callback_url)
        await page.goto(session["url"])
        await page.get_by_role("link", name="Continue to Tesla").click()
        await sign_in(page)
        await page.get_by_role("button", name="Deny").click()
        await page.wait_for_url(callback_reached(app_site))
        assert app_site.last["error"] == "access_denied"

        # Back in the browser's history, the session's page says what happened and leads back to the app.
        await page.goto(session["url"])
        await expect(page.get_by_role("heading", level=1)).to_have_text("You didn't allow access")
        await expect(page.get_by_role("main")).to_contain_text("You declined on Tesla's page")
        back = page.get_by_role("link", name=f"Back to {WORKSPACE}")
        await expect(back).to_have_attribute(
            "href", f"{app_site.callback_url}?connect_session_id={session['id']}&status=failed&error=access_denied"
        )
        await screen.check("declined")


class TestNotice:
    async def test_a_link_that_is_not_valid(self, screen: Screen, env: LiveGateway) -> None:
        await screen.page.goto(f"{env.url}/connect/cs_not_a_session")
        await expect(screen.page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
        await screen.check("not-found")
