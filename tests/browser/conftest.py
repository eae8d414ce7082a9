"""Headless Chromium (Debian's build) driven by Playwright, against servers on real loopback ports."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright

CHROMIUM = Path(os.environ.get("FLEETGATE_CHROMIUM", "/usr/bin/chromium"))
# Screenshots are written only when asked for, into the directory this names (the README's are docs/screenshots):
# a test run leaves the clone as it was.
SCREENSHOTS_ENV = "FLEETGATE_SCREENSHOTS"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One Chromium for the whole run (tests share the session's event loop, which Playwright's objects need)."""
    if not CHROMIUM.exists():
        if os.environ.get("FLEETGATE_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests are required but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def phone(browser: Browser) -> AsyncIterator[Page]:
    """A page the size of a phone screen: the hosted pages must work there."""
    context = await browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


async def screenshot(page: Page, name: str) -> None:
    """The whole page as `<name>.png` in the directory FLEETGATE_SCREENSHOTS names, when it names one."""
    directory = os.environ.get(SCREENSHOTS_ENV)
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=Path(directory) / f"{name}.png", full_page=True)
