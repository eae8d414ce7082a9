"""The developer console clicked through in Chromium, as a developer would: log in with the API key, the
connection missing access with its remedies, the car with its virtual key and state, commands, webhook deliveries
and their attempts, usage, log out.

Each page is checked for one h1 and, on the phone, for nothing wider than the screen, and saved as a screenshot
(phone and desktop) when FLEETGATE_SCREENSHOTS asks for them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Browser, ConsoleMessage, Locator, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.console_env import VEHICLE_NAME, Console, console_env
from tests.browser.sim_site import SCREENS, horizontal_overflow, page_on
from tests.support.live import LiveServer

PHONE_WIDTH = SCREENS["phone"]["viewport"]["width"]


@dataclass
class Screen:
    name: str
    page: Page
    # What the browser reports as errors, such as anything the pages' Content-Security-Policy blocked.
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self.noted)

    def noted(self, message: ConsoleMessage) -> None:
        # The browser asks for /favicon.ico on its own; there is none, and no page refers to one.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(message.text)

    async def check(self, shot: str) -> None:
        """One h1, the page's landmarks, no browser errors, a screenshot if asked; on the phone, no sideways scroll."""
        assert self.errors == [], shot
        await expect(self.page.locator("h1")).to_have_count(1)
        await expect(self.page.get_by_role("main")).to_have_count(1)
        await screenshot(self.page, f"console-{shot}-{self.name}")
        if self.name == "phone":
            assert await horizontal_overflow(self.page, width=PHONE_WIDTH) == 0, shot


@pytest.fixture
async def env(live_sim: LiveServer, tmp_path: Path) -> AsyncIterator[Console]:
    async with console_env(live_sim, tmp_path) as console:
        yield console


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Screen]:
    async with page_on(browser, request.param) as page:
        yield Screen(request.param, page)


async def log_in(screen: Screen, env: Console, shot: bool = False) -> None:
    page = screen.page
    await page.goto(env.url)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Log in to the console")
    if shot:
        await screen.check("login")
    await page.get_by_label("API key").fill(env.gateway.api_key)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Acme Energy")


def nav(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Console").get_by_role("link", name=name, exact=True)


class TestClickThrough:
    async def test_a_developer_follows_the_connection_the_car_and_its_failed_command(
        self, screen: Screen, env: Console
    ) -> None:
        page = screen.page
        await log_in(screen, env, shot=True)
        await expect(page.get_by_role("main")).to_contain_text("Vehicles without the app's virtual key")
        await screen.check("overview")

        await nav(page, "Connections").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Connections")
        row = page.get_by_role("row").filter(has_text=env.linked.connection_id)
        await expect(row).to_contain_text("user-42")
        await expect(row).to_contain_text("1 missing")
        await screen.check("connections")

        await row.get_by_role("link", name=env.linked.connection_id).click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text(env.linked.connection_id)
        await expect(page.locator("#missing-vehicle_location")).to_contain_text("Vehicle location")
        await expect(page.get_by_role("link", name="Tesla's manage-access page")).to_have_attribute(
            "href", re.compile(r"/user/revoke/consent\?revoke_client_id=")
        )
        await page.get_by_role("button", name="Create a reconnect link").click()
        await expect(page.get_by_role("status")).to_contain_text("Reconnect link created")
        await expect(page.get_by_role("status").get_by_role("link")).to_have_attribute(
            "href", re.compile(rf"^{re.escape(env.gateway.url)}/connect/cs_")
        )
        await screen.check("connection")

        await page.get_by_role("link", name=VEHICLE_NAME).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(VEHICLE_NAME)
        commands = page.locator("#capability-commands")
        await expect(commands).to_contain_text("No")
        await expect(commands).to_contain_text("virtual_key_not_paired")
        await expect(page.locator("#capability-read_location")).to_contain_text("Missing access: vehicle_location")
        pairing_url = env.vehicle["virtual_key"]["pairing_url"]
        await expect(page.get_by_role("link", name="Pairing link").first).to_have_attribute("href", pairing_url)
        await expect(page.get_by_role("img", name=f"QR code of the pairing link for {VEHICLE_NAME}")).to_be_visible()
        await expect(page.locator("#state-age")).to_have_text(re.compile(r"^\d+ (s|min) ago$"))
        await screen.check("device")

        await page.get_by_role("link", name="door_lock").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Command door_lock")
        main = page.get_by_role("main")
        await expect(main).to_contain_text("Failed")
        await expect(main).to_contain_text(env.command["reason"])
        await expect(main).to_contain_text("virtual_key_not_paired")
        await expect(main.get_by_role("link", name="Pairing link")).to_have_attribute("href", pairing_url)
        await screen.check("command")

        await nav(page, "Commands").click()
        await page.get_by_label("Status").select_option("succeeded")
        await page.get_by_role("button", name="Filter").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Succeeded commands")
        await expect(page.get_by_role("main")).to_contain_text("No commands with this status yet.")
        await page.get_by_label("Status").select_option("failed")
        await page.get_by_role("button", name="Filter").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Failed commands")
        await expect(page.get_by_role("row").filter(has_text="door_lock")).to_contain_text(VEHICLE_NAME)
        await screen.check("commands")

        await nav(page, "Usage").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Upstream usage")
        report = (await env.gateway.api.get("/v1/usage")).json()
        data_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Data", exact=True))
        await expect(data_row.get_by_role("cell").first).to_have_text(str(report["totals"]["data"]))
        await screen.check("usage")

        await nav(page, "Webhooks").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
        endpoints = page.get_by_role("region", name="Webhook endpoints of this workspace")
        await expect(endpoints.get_by_role("row").filter(has_text=env.good_endpoint["url"])).to_contain_text("Enabled")
        await screen.check("webhooks")
        await endpoints.get_by_role("link", name=env.bad_endpoint["url"]).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Webhook endpoint")
        await page.get_by_role("link", name="webhook.test").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Delivery of webhook.test")
        first = page.get_by_role("region", name="Every attempt, oldest first").get_by_role("row").nth(1)
        await expect(first).to_contain_text("Failed")
        await expect(first).to_contain_text("HTTP 405")
        await screen.check("webhook-delivery")

        await nav(page, "Devices").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Devices")
        await expect(page.get_by_role("row").filter(has_text=VEHICLE_NAME)).to_contain_text("Not paired")
        await screen.check("devices")

    async def test_a_developer_acts_from_the_console(self, screen: Screen, env: Console) -> None:
        page = screen.page
        main = page.get_by_role("main")
        await log_in(screen, env)
        await page.goto(f"{env.url}/devices/{env.energy_site['id']}")
        await page.get_by_role("button", name="Read the state now").click()
        await expect(page.get_by_role("status")).to_have_text("State read from Tesla just now.")

        await page.get_by_role("link", name="Send a command").click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text("Send a command to")
        await screen.check("send-command")
        reserve = page.locator("#command-set_backup_reserve")
        await reserve.get_by_label("Percent").fill("35")
        await reserve.get_by_role("button", name="Send set_backup_reserve").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Command set_backup_reserve")
        await expect(page.get_by_role("status")).to_contain_text("set_backup_reserve queued")
        await expect(main).to_contain_text('"percent": 35')

        await page.goto(f"{env.url}/devices/{env.vehicle['id']}")
        await page.get_by_role("button", name="Re-check the key with Tesla").click()
        await expect(page.get_by_role("status")).to_contain_text("the app's key is not on the car")
        await page.get_by_role("link", name="Send a command").click()
        door_lock = page.locator("#command-door_lock")
        await expect(door_lock.get_by_role("button", name="Send door_lock")).to_be_disabled()
        await expect(door_lock).to_contain_text("virtual_key_not_paired")

        await page.goto(f"{env.url}/webhooks/{env.good_endpoint['id']}")
        await page.get_by_role("button", name="Send a test event").click()
        await expect(page.get_by_role("status")).to_contain_text("Test event queued")
        await screen.check("webhook-endpoint")
        await page.get_by_role("status").get_by_role("link", name="Follow its delivery").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Delivery of webhook.test")
        await page.get_by_role("button", name=re.compile("^(Send it again|Try it now)$")).click()
        await expect(page.get_by_role("status")).to_have_text("Sent again: the next attempt is due now.")

        await nav(page, "API keys").click()
        await page.get_by_label("Name").fill("nightly export")
        await page.get_by_role("button", name="Create a key").click()
        await expect(page.get_by_role("status")).to_contain_text("shown only once")
        key = await page.get_by_label("New API key").input_value()
        assert key.startswith("fg_")
        row = page.get_by_role("row").filter(has_text="nightly export")
        await expect(row).to_contain_text("Active")
        await screen.check("api-keys")
        await row.get_by_role("button", name=re.compile("^Revoke")).click()
        await expect(page.get_by_role("status")).to_contain_text("revoked")
        await expect(page.get_by_role("row").filter(has_text="nightly export")).to_contain_text("Revoked")
        refused = await env.gateway.api.get("/v1/customers", headers={"Authorization": f"Bearer {key}"})
        assert refused.status_code == 401

    async def test_logging_out_ends_the_login(self, screen: Screen, env: Console) -> None:
        page = screen.page
        await log_in(screen, env)
        await page.get_by_role("button", name="Log out").click()
        await expect(page.get_by_role("status")).to_have_text("You are logged out.")
        await page.goto(f"{env.url}/devices")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Log in to the console")


class TestAccessibility:
    async def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(self, screen: Screen, env: Console) -> None:
        page = screen.page
        await log_in(screen, env)
        await page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to main content")
        await expect(skip).to_be_focused()
        box = await skip.bounding_box()
        assert box is not None
        assert box["y"] >= 0  # shown while focused
        await page.keyboard.press("Enter")
        assert await page.evaluate("document.activeElement.id") == "main"

    async def test_a_wrong_key_is_announced_next_to_the_field(self, screen: Screen, env: Console) -> None:
        page = screen.page
        await page.goto(env.url)
        await page.get_by_label("API key").fill("fg_not_a_real_key_at_all_00000")
        await page.get_by_role("button", name="Log in").click()
        await expect(page.get_by_role("alert")).to_contain_text("not valid")
        await expect(page.get_by_label("API key")).to_have_attribute("aria-invalid", "true")

    async def test_tables_are_cards_on_a_phone_with_every_status_in_view(self, browser: Browser, env: Console) -> None:
        async with page_on(browser, "phone") as page:
            await log_in(Screen("phone", page), env)
            await page.goto(f"{env.url}/devices/{env.vehicle['id']}")
            table = page.get_by_role("region", name=f"What the app can do with {VEHICLE_NAME}")
            assert await table.evaluate("box => box.scrollWidth <= box.clientWidth")
            await page.goto(f"{env.url}/commands")
            statuses = page.get_by_role("region", name="Commands, newest first").locator(".badge")
            await expect(statuses.first).to_be_visible()
            for box in [await status.bounding_box() for status in await statuses.all()]:
                assert box is not None
                assert box["x"] >= 0
                assert box["x"] + box["width"] <= PHONE_WIDTH
            assert await horizontal_overflow(page, width=PHONE_WIDTH) == 0
