"""The virtual-key approval page behind the pairing link, clicked through in Chromium: approve and decline."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from fleetgate.protocol.keys import public_key_bytes
from tests.browser.sim_site import DOMAIN, VEHICLE_NAME, Seeded, page_on, seeded_simulator, sign_in
from tests.support.live import LiveServer


@pytest.fixture
async def env(live_sim: LiveServer) -> AsyncIterator[Seeded]:
    async with seeded_simulator(live_sim) as seeded:
        await seeded.consent("openid offline_access vehicle_device_data vehicle_cmds")
        yield seeded


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Page]:
    async with page_on(browser, request.param) as page:
        yield page


async def open_approval(page: Page, env: Seeded) -> None:
    await page.goto(env.pairing_url())
    await sign_in(page)
    await expect(page.get_by_role("heading", name="Add virtual key")).to_be_visible()
    await expect(page.get_by_role("main")).to_contain_text(
        f"Acme Charging ({DOMAIN}) wants to add a virtual key to {VEHICLE_NAME} ({env.vin})"
    )


class TestApprove:
    async def test_the_apps_registered_key_is_added_for_its_domain(self, screen: Page, env: Seeded) -> None:
        app_key = public_key_bytes(env.app["private_key"]).hex()
        assert all(key["public_key"] != app_key for key in await env.keys_on_vehicle())

        await open_approval(screen, env)
        await screen.get_by_role("button", name="Approve").click()

        await expect(screen.get_by_role("heading", name="Virtual key added")).to_be_visible()
        await expect(screen.get_by_role("status")).to_contain_text(f"was added to {VEHICLE_NAME}")
        added = [key for key in await env.keys_on_vehicle() if key["public_key"] == app_key]
        assert len(added) == 1
        assert added[0]["domain"] == DOMAIN
        assert added[0]["role"] == "owner"
        assert added[0]["active"] is True


class TestDecline:
    async def test_no_key_is_added(self, phone: Page, env: Seeded) -> None:
        before = await env.keys_on_vehicle()
        await open_approval(phone, env)
        await phone.get_by_role("button", name="Decline").click()

        await expect(phone.get_by_role("heading", name="Virtual key declined")).to_be_visible()
        await expect(phone.get_by_role("status")).to_contain_text("No key was added")
        assert await env.keys_on_vehicle() == before
