"""A simulated car that drives while it streams `location`: the gateway records each move as a
`vehicle.location_changed` event and the device's state follows the car to where it parks."""

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


async def test_a_drive_streams_moves_that_become_events_and_the_state_follows(
    connect: Connector,
    receiver: RunningReceiver,
    api: httpx.AsyncClient,
    sim: httpx.AsyncClient,
    world: World,
) -> None:
    car = (await connect(paired=True)).vehicle
    response = await api.put(f"/v1/devices/{car.id}/telemetry", json={"fields": ["location"], "interval_seconds": 10})
    assert response.status_code == 200, response.text
    vin = car.external_id
    streamers = Streamers(world)

    async def stored_after_a_pass(at_least: int) -> None:
        async def stored() -> int:
            await streamers.tick()  # the cars' pass, as the simulator's lifespan runs it every second
            return int(receiver.receiver.stats["stored"])

        await eventually(stored, until=lambda count: count >= at_least, what=f"{at_least} records stored")

    try:
        await stored_after_a_pass(1)  # where it is parked
        start = (await sim.get(f"/sim/vehicles/{vin}")).json()
        to = {"latitude": start["latitude"] + 0.05, "longitude": start["longitude"]}  # 5.6 km north
        plan = (await sim.post(f"/sim/vehicles/{vin}/drive", json={"to": to, "speed_kph": 60})).json()
        halfway = (plan["arrives_at"] - plan["started_at"]) / 2
        await sim.post("/sim/clock", json={"advance_seconds": halfway})
        await stored_after_a_pass(2)
        await sim.post("/sim/clock", json={"advance_seconds": halfway + 60})
        await stored_after_a_pass(3)
    finally:
        await streamers.close()

    async def moves() -> list[dict[str, Any]]:
        response = await api.get("/v1/events", params={"type": "vehicle.location_changed"})
        assert response.status_code == 200, response.text
        events: list[dict[str, Any]] = response.json()["data"]
        return events

    events = await eventually(moves, until=lambda events: len(events) == 2, what="two moves")
    latitudes = sorted((event["data"]["previous"]["latitude"], event["data"]["value"]["latitude"]) for event in events)
    assert latitudes[0][0] == pytest.approx(start["latitude"], abs=1e-6)
    assert latitudes[0][1] == pytest.approx(start["latitude"] + 0.025, abs=1e-3)  # halfway, give or take a second
    assert latitudes[1][0] == latitudes[0][1]
    assert latitudes[1][1] == pytest.approx(to["latitude"], abs=1e-6)

    state = (await api.get(f"/v1/devices/{car.id}/state", params={"max_age": 3600})).json()
    assert state["source"] == "telemetry"
    assert state["data"]["location"]["latitude"] == pytest.approx(to["latitude"], abs=1e-6)
    assert state["data"]["location"]["longitude"] == pytest.approx(to["longitude"], abs=1e-6)
