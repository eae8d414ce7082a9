"""The OAuth consent flow clicked through in Chromium: sign in, tick boxes, Allow / Select all / Deny, keyboard use."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.sim_site import (
    Seeded,
    callback_reached,
    checkbox,
    page_on,
    scopes_of,
    seeded_simulator,
    sign_in,
)
from tests.support.live import LiveServer

REQUESTED = "openid offline_access vehicle_device_data vehicle_location vehicle_cmds"
TITLES = ("Refresh Tokens", "Vehicle Information", "Vehicle Location", "Vehicle Commands")
EVERYTHING = set(REQUESTED.split())


@pytest.fixture
async def env(live_sim: LiveServer) -> AsyncIterator[Seeded]:
    async with seeded_simulator(live_sim) as seeded:
        yield seeded


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Page]:
    async with page_on(browser, request.param) as page:
        yield page


async def open_consent(page: Page, env: Seeded, scope: str = REQUESTED, **extra: str) -> None:
    await page.goto(env.authorize_url(scope, **extra))
    await sign_in(page)
    await expect(page.get_by_role("heading", name="Allow Acme Charging to access your Tesla account?")).to_be_visible()


class TestAllow:
    async def test_the_app_gets_code_and_state_for_exactly_the_ticked_boxes(self, screen: Page, env: Seeded) -> None:
        await screen.goto(env.authorize_url(REQUESTED, state="s-41f9"))
        await sign_in(screen)
        for title in TITLES:
            await expect(checkbox(screen, title)).not_to_be_checked()
        await checkbox(screen, "Vehicle Information").check()
        await checkbox(screen, "Vehicle Commands").check()
        await screen.get_by_role("button", name="Allow").click()

        await screen.wait_for_url(callback_reached(env.site))
        answer = env.site.last
        assert answer["state"] == "s-41f9"
        assert "error" not in answer
        tokens = await env.exchange(answer["code"])
        assert scopes_of(tokens) == {"openid", "vehicle_device_data", "vehicle_cmds"}

    async def test_no_box_ticked_grants_sign_in_only(self, phone: Page, env: Seeded) -> None:
        await open_consent(phone, env)
        await phone.get_by_role("button", name="Allow").click()
        await phone.wait_for_url(callback_reached(env.site))
        assert scopes_of(await env.exchange(env.site.last["code"])) == {"openid"}


class TestSelectAll:
    async def test_with_javascript_it_ticks_every_box_and_stays_on_the_page(self, phone: Page, env: Seeded) -> None:
        await open_consent(phone, env)
        consent_url = phone.url
        await phone.get_by_role("button", name="Select all").click()
        for title in TITLES:
            await expect(checkbox(phone, title)).to_be_checked()
        assert phone.url == consent_url
        assert env.site.received == []

        await phone.get_by_role("button", name="Allow").click()
        await phone.wait_for_url(callback_reached(env.site))
        assert scopes_of(await env.exchange(env.site.last["code"])) == EVERYTHING

    async def test_without_javascript_it_grants_everything_requested(self, browser: Browser, env: Seeded) -> None:
        async with page_on(browser, "phone", javascript=False) as page:
            await open_consent(page, env)
            await expect(checkbox(page, "Vehicle Commands")).not_to_be_checked()
            await page.get_by_role("button", name="Select all").click()
            await page.wait_for_url(callback_reached(env.site))
        assert env.site.last["state"] == "st4te"
        assert scopes_of(await env.exchange(env.site.last["code"])) == EVERYTHING


class TestDeny:
    async def test_the_app_gets_access_denied_and_its_state(self, phone: Page, env: Seeded) -> None:
        await open_consent(phone, env)
        await checkbox(phone, "Vehicle Commands").check()
        await phone.get_by_role("button", name="Deny").click()
        await phone.wait_for_url(callback_reached(env.site))
        answer = env.site.last
        assert answer["error"] == "access_denied"
        assert answer["state"] == "st4te"
        assert "code" not in answer


class TestRequireRequestedScopes:
    async def test_a_partial_choice_is_refused_on_the_page(self, phone: Page, env: Seeded) -> None:
        await open_consent(phone, env, require_requested_scopes="true")
        await checkbox(phone, "Vehicle Commands").check()
        await phone.get_by_role("button", name="Allow").click()

        alert = phone.get_by_role("alert")
        await expect(alert).to_contain_text("Acme Charging needs every permission listed")
        await expect(alert).to_be_in_viewport()
        group = phone.get_by_role("group", name="Acme Charging is requesting access to")
        await expect(group).to_have_accessible_description(await alert.inner_text())
        await expect(checkbox(phone, "Vehicle Commands")).to_be_checked()  # the choice survives the refusal
        await expect(checkbox(phone, "Vehicle Information")).not_to_be_checked()
        assert env.site.received == []

        for title in TITLES:
            await checkbox(phone, title).check()
        await phone.get_by_role("button", name="Allow").click()
        await phone.wait_for_url(callback_reached(env.site))
        assert scopes_of(await env.exchange(env.site.last["code"])) == EVERYTHING


class TestKeyboard:
    async def test_tab_reaches_select_all_every_box_and_both_buttons_in_order(
        self, browser: Browser, env: Seeded
    ) -> None:
        async with page_on(browser, "desktop") as page:
            await open_consent(page, env)
            order = [
                page.get_by_role("button", name="Select all"),
                *(checkbox(page, title) for title in TITLES),
                page.get_by_role("button", name="Allow"),
                page.get_by_role("button", name="Deny"),
            ]
            for control in order:
                await page.keyboard.press("Tab")
                await expect(control).to_be_focused()

    async def test_space_ticks_a_box_and_enter_allows(self, browser: Browser, env: Seeded) -> None:
        async with page_on(browser, "desktop") as page:
            await open_consent(page, env)
            commands = checkbox(page, "Vehicle Commands")
            while not await commands.evaluate("box => box === document.activeElement"):
                await page.keyboard.press("Tab")
            await page.keyboard.press("Space")
            await expect(commands).to_be_checked()
            allow = page.get_by_role("button", name="Allow")
            await page.keyboard.press("Tab")
            await expect(allow).to_be_focused()
            await page.keyboard.press("Enter")
            await page.wait_for_url(callback_reached(env.site))
        assert scopes_of(await env.exchange(env.site.last["code"])) == {"openid", "vehicle_cmds"}

    async def test_the_labels_toggle_their_boxes(self, phone: Page, env: Seeded) -> None:
        await open_consent(phone, env)
        location = checkbox(phone, "Vehicle Location")
        await phone.get_by_text("Precise and coarse location of your vehicles.").click()
        await expect(location).to_be_checked()
        await phone.get_by_text("Vehicle Location", exact=True).click()
        await expect(location).not_to_be_checked()

    async def test_each_box_is_named_by_its_title_and_described_by_its_text(self, phone: Page, env: Seeded) -> None:
        await open_consent(phone, env)
        await expect(checkbox(phone, "Vehicle Commands")).to_have_accessible_description(
            "Commands such as lock, unlock, climate and wake up."
        )
        await expect(phone.get_by_role("checkbox")).to_have_count(len(TITLES))
