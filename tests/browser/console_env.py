"""A workspace with something to show in the console, made through the API and the simulator as users make it:
a connection whose user left out the location, a car without the app's key whose state was read, a command that
failed for want of the key, an energy site, and two webhook endpoints on the app's site, one that takes the events
and one that refuses them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.browser.gateway_site import LiveGateway, live_gateway
from tests.browser.sim_site import EMAIL, AppSite, running_app_site
from tests.gateway.flows import ALL_ACCESS, Linked
from tests.support.live import LiveServer
from tests.support.polling import eventually

VEHICLE_NAME = "Blue Thunder"
TERMINAL = ("succeeded", "failed", "cancelled", "expired")


@dataclass
class Console:
    gateway: LiveGateway
    linked: Linked
    vehicle: dict[str, Any]
    energy_site: dict[str, Any]
    command: dict[str, Any]
    app_site: AppSite
    good_endpoint: dict[str, Any]
    bad_endpoint: dict[str, Any]

    @property
    def url(self) -> str:
        return f"{self.gateway.url}/console"


async def finished(gateway: LiveGateway, command_id: str) -> dict[str, Any]:
    async def command() -> dict[str, Any]:
        response = await gateway.api.get(f"/v1/commands/{command_id}")
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    return await eventually(
        command, until=lambda found: found["status"] in TERMINAL, what=f"command {command_id} to end"
    )


async def endpoint(gateway: LiveGateway, url: str) -> dict[str, Any]:
    response = await gateway.api.post("/v1/webhook-endpoints", json={"url": url, "events": ["*"]})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def attempted(gateway: LiveGateway, endpoint_id: str) -> list[dict[str, Any]]:
    """The endpoint's deliveries, once each has been tried at least once."""

    async def deliveries() -> list[dict[str, Any]]:
        response = await gateway.api.get(f"/v1/webhook-endpoints/{endpoint_id}/deliveries")
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["data"]
        return found

    return await eventually(
        deliveries,
        until=lambda found: found and all(delivery["attempts"] > 0 for delivery in found),
        what=f"the deliveries to {endpoint_id} to be attempted",
    )


@asynccontextmanager
async def console_env(live_sim: LiveServer, data_dir: Path) -> AsyncIterator[Console]:
    async with live_gateway(live_sim, data_dir) as gateway:
        with running_app_site() as site:
            yield await seeded(gateway, site)


async def seeded(gateway: LiveGateway, site: AppSite) -> Console:
    good = await endpoint(gateway, site.webhook_url)
    bad = await endpoint(gateway, site.callback_url)  # the app's OAuth callback: GET only, so 405
    grant = [name for name in ALL_ACCESS if name != "vehicle_location"]
    linked = await gateway.connect(
        EMAIL, vehicles=[{"display_name": VEHICLE_NAME}], energy_sites=1, grant=grant, reference_id="user-42"
    )
    listed = (await gateway.api.get("/v1/devices")).json()["data"]
    devices = {device["type"]: device for device in listed}
    for device in devices.values():
        read = await gateway.api.get(f"/v1/devices/{device['id']}/state")
        assert read.status_code == 200, read.text
    # Sent although Tesla said the key is missing (else it is refused before queueing), to fail at the car.
    submitted = await gateway.api.post(
        f"/v1/devices/{devices['vehicle']['id']}/commands", json={"command": "door_lock", "if_key_missing": "try"}
    )
    assert submitted.status_code == 202, submitted.text
    command = await finished(gateway, submitted.json()["id"])
    for hook in (good, bad):
        assert (await gateway.api.post(f"/v1/webhook-endpoints/{hook['id']}/test")).status_code == 202
        await attempted(gateway, hook["id"])
    return Console(gateway, linked, devices["vehicle"], devices["energy_site"], command, site, good, bad)
