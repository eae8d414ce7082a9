"""From the API to the car and back: a config set with `PUT /v1/devices/{id}/telemetry`, the simulator's car streaming
it to the receiver over mutual TLS with a certificate from the simulator's CA, and the state answered from what it
streamed, with no call to Tesla's vehicle_data."""

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
from tests.gateway.flows import Connector
from tests.gateway.telemetry_cars import streaming_to_own_receiver
from tests.support.polling import eventually


@pytest.fixture
async def gateway_settings(gateway_settings: Settings, sim: httpx.AsyncClient, tmp_path: Path) -> Settings:
    """A gateway whose configs send cars to its own receiver, which trusts the simulator's car CA."""
    return await streaming_to_own_receiver(gateway_settings, sim, tmp_path)


@pytest.fixture
async def receiver(gateway_runtime: Runtime) -> AsyncIterator[RunningReceiver]:
    async with telemetry_receiver(gateway_runtime) as running:
        yield running


async def test_a_configured_car_streams_and_the_state_answers_from_it(
    connect: Connector,
    receiver: RunningReceiver,
    api: httpx.AsyncClient,
    sim: httpx.AsyncClient,
    tesla_app: dict[str, Any],
    world: World,
) -> None:
    car = (await connect(paired=True)).vehicle
    response = await api.put(
        f"/v1/devices/{car.id}/telemetry",
        json={"fields": ["battery_level_pct", "charging_state", "location"], "interval_seconds": 60},
    )
    assert response.status_code == 200, response.text

    streamers = Streamers(world)
    try:

        async def stored() -> int:
            await streamers.tick()  # the cars' pass, as the simulator's lifespan runs it every second
            return receiver.receiver.stats["stored"]

        await eventually(stored, what="a record stored")
    finally:
        await streamers.close()

    async def state() -> dict[str, Any]:
        response = await api.get(f"/v1/devices/{car.id}/state", params={"max_age": 3600})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    streamed = await eventually(
        state, until=lambda body: body["source"] == "telemetry", what="the state from the car's stream"
    )
    assert streamed["data"]["battery_level_pct"] is not None
    assert streamed["data"]["location"] is not None
    assert {"battery_level_pct", "charging_state", "location"} <= set(streamed["field_times"])
    assert receiver.receiver.stats["stored"] >= 1
    endpoints = (await sim.get("/sim/usage")).json()["endpoints"][tesla_app["client_id"]]
    assert not [endpoint for endpoint in endpoints if endpoint.endswith("/vehicle_data")], endpoints
    usage = (await api.get("/v1/usage")).json()
    assert usage["totals"]["streaming_signals"] >= 3
