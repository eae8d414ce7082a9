"""The API's docs (`/docs`, `/redoc`, the simulator's `/sim/docs`) render in Chromium with nothing but loopback to
load from: a self-hosted gateway on a machine without the internet still shows its docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, Route, expect

from tests.browser.gateway_site import LiveGateway, live_gateway
from tests.support.live import LiveServer

REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
async def env(live_sim: LiveServer, tmp_path: Path) -> AsyncIterator[LiveGateway]:
    async with live_gateway(live_sim, tmp_path) as gateway:
        yield gateway


class Offline:
    """A desktop page that can reach loopback only; what it tried to fetch elsewhere is kept."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.refused: list[str] = []

    async def refuse_the_internet(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            await route.continue_()
        else:
            self.refused.append(route.request.url)
            await route.abort("internetdisconnected")


@pytest.fixture
async def offline(browser: Browser) -> AsyncIterator[Offline]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    watched = Offline(page)
    await page.route("**/*", watched.refuse_the_internet)
    try:
        yield watched
    finally:
        await context.close()


async def test_swagger_ui_shows_every_route_without_the_internet(env: LiveGateway, offline: Offline) -> None:
    page = offline.page
    await page.goto(f"{env.url}/docs")

    await expect(page.locator(".swagger-ui .info .title")).to_contain_text("fleetgate")
    submit = page.locator(".opblock-summary-path", has_text="/v1/devices/{device_id}/commands").first
    await expect(submit).to_be_visible()
    await expect(page.locator(".opblock")).not_to_have_count(0)
    assert offline.refused == []


async def test_redoc_shows_the_api_without_the_internet(env: LiveGateway, offline: Offline) -> None:
    page = offline.page
    await page.goto(f"{env.url}/redoc")

    await expect(page.get_by_role("heading", name="fleetgate", exact=False).first).to_be_visible()
    await expect(page.get_by_text("/v1/devices/{device_id}/commands").first).to_be_attached()
    # ReDoc's footer shows Redocly's logo from Redocly's site; without it the page lacks only that image.
    assert [url for url in offline.refused if not url.startswith(REDOCLY_LOGO)] == []


async def test_the_simulators_docs_render_without_the_internet(live_sim: LiveServer, offline: Offline) -> None:
    page = offline.page
    await page.goto(f"{live_sim.url}/sim/docs")

    await expect(page.locator(".swagger-ui .info .title")).to_contain_text("simulator")
    await expect(page.locator(".opblock-summary-path", has_text="/sim/clock").first).to_be_visible()
    assert offline.refused == []
