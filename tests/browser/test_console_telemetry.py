"""A vehicle's Fleet Telemetry in the console, in Chromium at phone and desktop width: the device page's section,
starting and stopping the stream from its form, and the usage page's streaming signals.

No car streams here (the page shows the config as `pending`): what the receiver does is tested in
`tests/gateway/test_console_telemetry.py`. Screenshots only when FLEETGATE_SCREENSHOTS asks for them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from fleetgate.protocol.telemetry.certificates import CertificateAuthority
from tests.browser.console_env import VEHICLE_NAME
from tests.browser.gateway_site import WORKSPACE, LiveGateway, live_gateway
from tests.browser.sim_site import EMAIL, page_on
from tests.browser.test_console import Screen, nav
from tests.support.live import LiveServer

RECEIVER = "telemetry.acme.test"


@dataclass
class TelemetryEnv:
    gateway: LiveGateway
    vehicle: dict[str, Any]

    @property
    def url(self) -> str:
        return f"{self.gateway.url}/console"


@pytest.fixture
async def env(live_sim: LiveServer, tmp_path: Path) -> AsyncIterator[TelemetryEnv]:
    chain = tmp_path / "receiver-ca.pem"
    chain.write_bytes(CertificateAuthority.create("Acme receiver CA").cert_pem)
    async with live_gateway(
        live_sim,
        tmp_path,
        telemetry_hostname=RECEIVER,
        telemetry_public_port=443,
        telemetry_ca_chain_path=chain,
        telemetry_check_interval_seconds=0,
    ) as gateway:
        await gateway.connect(EMAIL, vehicles=[{"display_name": VEHICLE_NAME}], paired=True)
        listed = (await gateway.api.get("/v1/devices", params={"type": "vehicle"})).json()["data"]
        yield TelemetryEnv(gateway, listed[0])


@pytest.fixture(params=["phone", "desktop"])
async def screen(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Screen]:
    async with page_on(browser, request.param) as page:
        yield Screen(request.param, page)


async def log_in(screen: Screen, env: TelemetryEnv) -> None:
    page = screen.page
    await page.goto(env.url)
    await page.get_by_label("API key").fill(env.gateway.api_key)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(WORKSPACE)


class TestTelemetrySection:
    async def test_a_developer_starts_and_stops_a_cars_stream(self, screen: Screen, env: TelemetryEnv) -> None:
        page = screen.page
        await log_in(screen, env)
        await page.goto(f"{env.url}/devices/{env.vehicle['id']}")
        section = page.get_by_role("region", name="Fleet Telemetry")
        await expect(section).to_contain_text("Not streaming")
        await expect(page.locator("#capability-telemetry")).to_contain_text("Yes")
        await section.get_by_label("Locked").check()
        await section.get_by_label("Signals a day at most").fill("5000")
        await section.get_by_role("button", name="Start streaming").click()

        await expect(page.get_by_role("status")).to_contain_text("Telemetry config sent to Tesla (4 fields)")
        section = page.get_by_role("region", name="Fleet Telemetry")
        await expect(section.locator("#telemetry-config")).to_contain_text("Pending")
        await expect(section.locator("#telemetry-config")).to_contain_text(f"{RECEIVER}:443")
        await expect(section.locator("#telemetry-config")).to_contain_text("5000 signals a day")
        fields = section.get_by_role("region", name=f"Fields streamed by {VEHICLE_NAME}")
        await expect(fields.get_by_role("row").filter(has_text="BatteryLevel")).to_contain_text("60 s")
        await expect(section.get_by_role("button", name="Update telemetry")).to_be_visible()
        await section.scroll_into_view_if_needed()
        await screen.check("device-telemetry")
        config = (await env.gateway.api.get(f"/v1/devices/{env.vehicle['id']}/telemetry")).json()
        assert set(config["fields"]) == {"battery_level_pct", "charging_state", "location", "locked"}

        await section.get_by_role("button", name="Stop streaming").click()
        await expect(page.get_by_role("status")).to_contain_text("Telemetry config removed at Tesla and here")
        await expect(page.get_by_role("region", name="Fleet Telemetry")).to_contain_text("Not streaming")

        await nav(page, "Usage").click()
        streaming = page.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name="Streaming signals", exact=True)
        )
        await expect(streaming).to_contain_text("150000 signals per $1")
        await screen.check("usage-streaming")
