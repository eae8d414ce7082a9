"""Each page on a phone: nothing wider than a 320 px screen, controls on screen, and a screenshot for the docs
when FLEETGATE_SCREENSHOTS asks for one.

The pages are reached by clicking through, as a person would, so each one is shown in its real state.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.sim_site import Names, Seeded, horizontal_overflow, seeded_simulator, sign_in
from tests.support.live import LiveServer

REQUESTED = "openid offline_access user_data vehicle_device_data vehicle_location vehicle_cmds vehicle_charging_cmds"
GRANTED = "openid offline_access vehicle_device_data vehicle_cmds"
# Real people have long emails and apps long domains; unbroken, they are wider than a small phone.
LONG_NAMES = Names(
    app="Acme Smart Charging for Fleets",
    domain="fleet-integration.charging-platform.example.com",
    email="alexandra.konstantinopoulou@engineering.example.com",
)
# Controls whose box ends beyond the right edge or starts before the left one.
OFF_SCREEN_CONTROLS = """width => [...document.querySelectorAll('button, a, input:not([type=hidden]), label')]
    .filter(el => el.offsetParent !== null)
    .filter(el => { const box = el.getBoundingClientRect(); return box.left < 0 || box.right > width; })
    .map(el => el.outerHTML.slice(0, 80))"""
SMALLEST_TEXT = """() => Math.min(...[...document.body.querySelectorAll('*')]
    .filter(el => el.offsetParent !== null && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(el => parseFloat(getComputedStyle(el).fontSize)))"""

Opener = Callable[[Page, Seeded], Awaitable[None]]


async def sign_in_page(page: Page, env: Seeded) -> None:
    await page.goto(env.authorize_url(REQUESTED))
    await expect(page.get_by_role("heading", name="Sign In")).to_be_visible()


async def consent_page(page: Page, env: Seeded) -> None:
    await page.goto(env.authorize_url(REQUESTED))
    await sign_in(page, env.names.email)
    await expect(page.get_by_role("button", name="Allow")).to_be_visible()


async def consent_page_with_keypair_notice(page: Page, env: Seeded) -> None:
    await page.goto(env.authorize_url(REQUESTED, show_keypair_step="true"))
    await sign_in(page, env.names.email)
    await expect(page.get_by_role("note")).to_contain_text("add a virtual key")


async def manage_access_page(page: Page, env: Seeded) -> None:
    await env.consent(GRANTED)
    await page.goto(env.manage_url())
    await sign_in(page, env.names.email)
    await expect(page.get_by_role("button", name="Save changes")).to_be_visible()


async def pairing_sign_in_page(page: Page, env: Seeded) -> None:
    await page.goto(env.pairing_url())
    await expect(page.get_by_role("heading", name="Sign In")).to_be_visible()


async def pairing_approval_page(page: Page, env: Seeded) -> None:
    await env.consent(GRANTED)
    await page.goto(env.pairing_url())
    await sign_in(page, env.names.email)
    await expect(page.get_by_role("button", name="Approve")).to_be_visible()


async def pairing_done_page(page: Page, env: Seeded) -> None:
    await pairing_approval_page(page, env)
    await page.get_by_role("button", name="Approve").click()
    await expect(page.get_by_role("heading", name="Virtual key added")).to_be_visible()


PAGES: dict[str, Opener] = {
    "sim-sign-in": sign_in_page,
    "sim-consent": consent_page,
    "sim-consent-keypair": consent_page_with_keypair_notice,
    "sim-manage-access": manage_access_page,
    "sim-pairing-sign-in": pairing_sign_in_page,
    "sim-pairing-approval": pairing_approval_page,
    "sim-pairing-done": pairing_done_page,
}


async def off_screen_controls(page: Page) -> list[str]:
    width = page.viewport_size["width"] if page.viewport_size else 0
    controls: list[str] = await page.evaluate(OFF_SCREEN_CONTROLS, width)
    return controls


class TestPhoneScreenshots:
    @pytest.mark.parametrize("name", PAGES)
    async def test_page_fits_the_phone(self, phone: Page, live_sim: LiveServer, name: str) -> None:
        async with seeded_simulator(live_sim) as env:
            await PAGES[name](phone, env)
            await screenshot(phone, name)
            assert await horizontal_overflow(phone, width=390) == 0
            assert await off_screen_controls(phone) == []
            assert await phone.evaluate(SMALLEST_TEXT) >= 12


class TestNarrowPhone:
    @pytest.mark.parametrize("names", [Names(), LONG_NAMES], ids=["typical-names", "long-names"])
    @pytest.mark.parametrize("name", PAGES)
    async def test_nothing_scrolls_sideways_at_320_px(
        self, phone: Page, live_sim: LiveServer, name: str, names: Names
    ) -> None:
        await phone.set_viewport_size({"width": 320, "height": 640})
        async with seeded_simulator(live_sim, names) as env:
            await PAGES[name](phone, env)
            assert await horizontal_overflow(phone, width=320) == 0
            assert await off_screen_controls(phone) == []


class TestSignInFields:
    @pytest.mark.parametrize("name", ["sim-sign-in", "sim-pairing-sign-in"])
    async def test_the_email_field_is_as_wide_as_the_next_button(
        self, phone: Page, live_sim: LiveServer, name: str
    ) -> None:
        async with seeded_simulator(live_sim) as env:
            await PAGES[name](phone, env)
            field = await phone.get_by_role("textbox", name="Email").bounding_box()
            button = await phone.get_by_role("button", name="Next").bounding_box()
        assert field is not None
        assert button is not None
        assert field["width"] == pytest.approx(button["width"], abs=1)
        assert field["height"] >= 44  # a comfortable touch target
