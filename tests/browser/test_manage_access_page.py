"""The manage-access page clicked through in Chromium: narrowing a consent, revoking it, going back to the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.sim_site import Seeded, checkbox, page_on, seeded_simulator, sign_in
from tests.support.live import LiveServer

GRANTED = "openid offline_access vehicle_device_data vehicle_cmds"
TITLES = ("Refresh Tokens", "Vehicle Information", "Vehicle Commands")


@pytest.fixture
async def env(live_sim: LiveServer) -> AsyncIterator[Seeded]:
    async with seeded_simulator(live_sim) as seeded:
        yield seeded


@pytest.fixture
async def tokens(env: Seeded) -> dict[str, Any]:
    granted = await env.consent(GRANTED)
    assert (await env.list_vehicles(granted["access_token"])).status_code == 200
    return granted


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Page]:
    async with page_on(browser, request.param) as page:
        yield page


async def open_manage_access(page: Page, env: Seeded) -> None:
    await page.goto(env.manage_url())
    await sign_in(page)
    await expect(page.get_by_role("heading", name="Manage access for Acme Charging")).to_be_visible()


class TestSavingChanges:
    async def test_an_unticked_scope_is_taken_from_the_old_token_at_once(
        self, screen: Page, env: Seeded, tokens: dict[str, Any]
    ) -> None:
        await open_manage_access(screen, env)
        for title in TITLES:
            await expect(checkbox(screen, title)).to_be_checked()
        await checkbox(screen, "Vehicle Information").uncheck()
        await screen.get_by_role("button", name="Save changes").click()

        await expect(screen.get_by_role("status")).to_contain_text("Your changes are saved.")
        await expect(checkbox(screen, "Vehicle Information")).to_have_count(0)
        await expect(checkbox(screen, "Vehicle Commands")).to_be_checked()
        await expect(checkbox(screen, "Refresh Tokens")).to_be_checked()

        response = await env.list_vehicles(tokens["access_token"])
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"

    async def test_saving_without_a_change_keeps_the_access(
        self, phone: Page, env: Seeded, tokens: dict[str, Any]
    ) -> None:
        await open_manage_access(phone, env)
        await phone.get_by_role("button", name="Save changes").click()
        await expect(checkbox(phone, "Vehicle Information")).to_be_checked()
        assert (await env.list_vehicles(tokens["access_token"])).status_code == 200


class TestRevoking:
    async def test_remove_all_access_makes_the_token_unauthorized(
        self, phone: Page, env: Seeded, tokens: dict[str, Any]
    ) -> None:
        await open_manage_access(phone, env)
        await phone.get_by_role("button", name="Remove all access").click()

        await expect(phone.get_by_role("status")).to_contain_text("Acme Charging can no longer access")
        await expect(phone.get_by_role("checkbox")).to_have_count(0)
        await expect(phone.get_by_role("button")).to_have_count(0)
        assert (await env.list_vehicles(tokens["access_token"])).status_code == 401


class TestBackLink:
    async def test_it_returns_to_the_back_url(self, phone: Page, env: Seeded, tokens: dict[str, Any]) -> None:
        await open_manage_access(phone, env)
        await phone.get_by_role("link", name="Back to Acme Charging").click()
        await phone.wait_for_url(env.site.settings_url)
        await expect(phone.get_by_role("heading", name="The app's settings")).to_be_visible()

    async def test_it_is_still_there_after_revoking(self, phone: Page, env: Seeded, tokens: dict[str, Any]) -> None:
        await open_manage_access(phone, env)
        await phone.get_by_role("button", name="Remove all access").click()
        await phone.get_by_role("link", name="Back to Acme Charging").click()
        await phone.wait_for_url(env.site.settings_url)
