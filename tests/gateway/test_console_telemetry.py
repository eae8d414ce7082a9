"""A vehicle's Fleet Telemetry in the console: the device page shows the config and the `telemetry` capability, its
forms set and remove the config through the API's service (CSRF checked), and the usage page counts what cars
streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fleetgate.config import Settings
from fleetgate.features.telemetry.server import RunningReceiver, telemetry_receiver
from fleetgate.infra.runtime import Runtime
from fleetgate.simulator.telemetry.streamer import Streamers
from fleetgate.simulator.world import World
from tests.gateway.conftest import Tenant
from tests.gateway.console_pages import csrf_token, logged_in, open_page
from tests.gateway.flows import Connector
from tests.gateway.telemetry_cars import HOST, Pki
from tests.simulator.auth_helpers import Page
from tests.support.live import free_port
from tests.support.polling import eventually


@pytest.fixture
async def gateway_settings(gateway_settings: Settings, sim: httpx.AsyncClient, tmp_path: Path) -> Settings:
    """Configs that send cars to this gateway's receiver, which trusts the simulator's car CA; no background checks."""
    pki = Pki.create(tmp_path)
    cert, key, _ = pki.server_tls_files()
    cars_ca = tmp_path / "simulator-cars-ca.pem"
    cars_ca.write_text((await sim.get("/sim/telemetry/ca")).text)
    chain = tmp_path / "receiver-ca.pem"
    chain.write_bytes(pki.server_ca.cert_pem)
    port = free_port()
    return gateway_settings.model_copy(
        update={
            "telemetry_host": HOST,
            "telemetry_port": port,
            "telemetry_cert_path": cert,
            "telemetry_key_path": key,
            "telemetry_vehicle_ca_path": cars_ca,
            "telemetry_hostname": HOST,
            "telemetry_public_port": port,
            "telemetry_ca_chain_path": chain,
            "telemetry_check_interval_seconds": 0,
        }
    )


@pytest.fixture
async def receiver(gateway_runtime: Runtime) -> AsyncIterator[RunningReceiver]:
    async with telemetry_receiver(gateway_runtime) as running:
        yield running


async def vehicle_of(api: httpx.AsyncClient) -> dict[str, Any]:
    listed = (await api.get("/v1/devices", params={"type": "vehicle"})).json()["data"]
    assert len(listed) == 1, listed
    found: dict[str, Any] = listed[0]
    return found


async def send(gateway: httpx.AsyncClient, shown: Page, action: str, **fields: Any) -> Page:
    """The page's form for `action` sent as a browser sends it (every ticked box), `fields` replacing what it holds;
    answers the page its redirect leads to."""
    data = {**shown.form(action).data(), **fields}
    response = await gateway.post(action, data=data)
    assert response.status_code == 303, (response.status_code, response.text)
    return await open_page(gateway, response.headers["location"])


async def on_car(sim: httpx.AsyncClient, vin: str) -> list[dict[str, Any]]:
    configs: list[dict[str, Any]] = (await sim.get(f"/sim/vehicles/{vin}/telemetry_configs")).json()["data"]
    return configs


class TestDevicePage:
    async def test_set_then_remove_from_the_console(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant, sim: httpx.AsyncClient
    ) -> None:
        await connect(paired=True)
        car = await vehicle_of(tenant.client)
        await logged_in(gateway, tenant.api_key)
        path = f"/console/devices/{car['id']}"
        shown = await open_page(gateway, path)
        assert "Fleet Telemetry" in shown.text
        assert "Not streaming: no telemetry config for this car." in shown.text
        assert "Stream telemetry Yes" in shown.text
        # The form starts with a few fields ticked.
        assert {name for name, ticked in shown.form(f"{path}/telemetry").boxes().items() if ticked} == {
            "battery_level_pct",
            "charging_state",
            "location",
        }

        after = await send(
            gateway, shown, f"{path}/telemetry", field=["battery_level_pct", "locked"], signals_per_day_budget="5000"
        )
        assert "Telemetry config sent to Tesla (2 fields): pending until the car takes it." in after.text
        assert "Status Pending" in after.text
        assert "battery_level_pct BatteryLevel 60 s 1" in after.text
        assert "locked Locked 60 s any change" in after.text
        assert "5000 signals a day" in after.text
        assert "Polling vehicle_data every 60 s instead" in after.text
        api_view = (await tenant.client.get(f"/v1/devices/{car['id']}/telemetry")).json()
        assert set(api_view["fields"]) == {"battery_level_pct", "locked"}
        assert api_view["budget"]["signals_per_day"] == 5000
        assert len(await on_car(sim, car["vin"])) == 1

        removed = await send(gateway, after, f"{path}/telemetry/delete")
        assert "Telemetry config removed at Tesla and here" in removed.text
        assert "Not streaming" in removed.text
        assert (await tenant.client.get(f"/v1/devices/{car['id']}/telemetry")).status_code == 404
        assert await on_car(sim, car["vin"]) == []

    async def test_a_car_without_the_key_shows_why_and_the_form_says_what_tesla_would_not_take(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant, sim: httpx.AsyncClient
    ) -> None:
        await connect(paired=False)
        car = await vehicle_of(tenant.client)
        await logged_in(gateway, tenant.api_key)
        path = f"/console/devices/{car['id']}"
        shown = await open_page(gateway, path)
        assert "Stream telemetry No The app's virtual key is not on the car. virtual_key_not_paired" in shown.text

        refused = await send(gateway, shown, f"{path}/telemetry")
        assert "Telemetry was not set:" in refused.text
        assert "(virtual_key_not_paired)" in refused.text
        assert "Not streaming" in refused.text
        assert await on_car(sim, car["vin"]) == []

        nothing = await send(gateway, shown, f"{path}/telemetry", field=[])
        assert "Telemetry was not set: choose at least one field" in nothing.text

    async def test_the_forms_need_the_csrf_token_and_another_workspaces_car_is_not_found(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        await connect(paired=True)
        car = await vehicle_of(tenant.client)
        actions = [f"/console/devices/{car['id']}/telemetry", f"/console/devices/{car['id']}/telemetry/delete"]
        await logged_in(gateway, tenant.api_key)
        for action in actions:
            for forged in ({}, {"csrf_token": "not-the-token"}):
                refused = await gateway.post(action, data={"field": "locked", **forged})
                assert refused.status_code == 403, action
                assert "form has expired" in refused.text
        assert (await tenant.client.get(f"/v1/devices/{car['id']}/telemetry")).status_code == 404

        await logged_in(gateway, other_tenant.api_key)
        token = csrf_token(await open_page(gateway, "/console"))
        for action in actions:
            response = await gateway.post(action, data={"csrf_token": token, "field": "locked"})
            assert response.status_code == 404, action


class TestStreamed:
    async def test_the_device_and_usage_pages_show_what_the_car_streamed(
        self,
        connect: Connector,
        gateway: httpx.AsyncClient,
        tenant: Tenant,
        receiver: RunningReceiver,
        world: World,
    ) -> None:
        await connect(paired=True)
        car = await vehicle_of(tenant.client)
        await logged_in(gateway, tenant.api_key)
        path = f"/console/devices/{car['id']}"
        await send(gateway, await open_page(gateway, path), f"{path}/telemetry")

        streamers = Streamers(world)
        try:

            async def stored() -> int:
                await streamers.tick()  # the cars' pass, as the simulator's lifespan runs it every second
                return receiver.receiver.stats["stored"]

            await eventually(stored, what="a record stored")
        finally:
            await streamers.close()

        shown = await open_page(gateway, path)
        assert "Last streamed by the car (Fleet Telemetry) at" in shown.text
        assert "signals today (UTC)" in shown.text
        assert "0 signals today" not in shown.text
        usage = await open_page(gateway, "/console/usage")
        totals = (await tenant.client.get("/v1/usage")).json()["totals"]
        assert totals["streaming_signals"] >= 3
        assert f"Streaming signals {totals['streaming_signals']} signals 150000 signals per $1" in usage.text
