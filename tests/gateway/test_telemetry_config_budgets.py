"""Signals-a-day budgets: once a device's own budget, or its workspace's, is spent, its config is removed at Tesla
and `paused_budget` until the next day (UTC), then posted again. The signals are the receiver's: records taken in
as the receiver takes them (`ingest`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from fleetgate.config import Settings
from fleetgate.features.telemetry.budgets import next_day
from fleetgate.features.telemetry.ingest import Incoming, ingest
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.telemetry_budgets import budget_pass
from fleetgate.protocol.telemetry.certificates import CertificateAuthority
from fleetgate.protocol.telemetry.records import VehicleError, VehicleErrors
from tests.gateway.flows import Connector

PAIRED_CARS = [{"state": "online"}, {"state": "online"}]


@pytest.fixture
def gateway_settings(gateway_settings: Settings, tmp_path: Path) -> Settings:
    ca = tmp_path / "receiver-ca.pem"
    ca.write_bytes(CertificateAuthority.create("Receiver CA").cert_pem)
    return gateway_settings.model_copy(
        update={
            "telemetry_hostname": "telemetry.gateway.test",
            "telemetry_ca_chain_path": ca,
            "telemetry_check_interval_seconds": 0,
        }
    )


async def configure(api: httpx.AsyncClient, device_id: str, **extra: Any) -> dict[str, Any]:
    response = await api.put(f"/v1/devices/{device_id}/telemetry", json={"fields": ["battery_level_pct"], **extra})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def read(api: httpx.AsyncClient, device_id: str) -> dict[str, Any]:
    response = await api.get(f"/v1/devices/{device_id}/telemetry")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def on_car(sim: httpx.AsyncClient, vin: str) -> list[dict[str, Any]]:
    response = await sim.get(f"/sim/vehicles/{vin}/telemetry_configs")
    assert response.status_code == 200, response.text
    configs: list[dict[str, Any]] = response.json()["data"]
    return configs


async def streamed(runtime: Runtime, vin: str, signals: int) -> None:
    """A record of this many signals (errors the car reports) from the car, received now."""
    made_at = datetime.now(UTC) - timedelta(microseconds=signals)
    errors = tuple(VehicleError(f"error {index}", made_at, {}, "") for index in range(signals))
    [ingested] = await ingest(runtime, [Incoming(vin, VehicleErrors(vin, made_at, errors))])
    assert ingested.outcome.name == "STORED", ingested


async def event_types(api: httpx.AsyncClient) -> list[str]:
    response = await api.get("/v1/events", params={"type": "telemetry.*"})
    assert response.status_code == 200, response.text
    return [event["type"] for event in response.json()["data"]]


class TestDeviceBudget:
    async def test_a_spent_budget_pauses_the_config_at_tesla_until_the_next_day(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        answer = await configure(api, vehicle.id, signals_per_day_budget=10)
        assert answer["budget"] == {
            "signals_per_day": 10,
            "workspace_signals_per_day": None,
            "signals_today": 0,
            "paused_until": None,
        }
        await streamed(gateway_runtime, vehicle.external_id, 9)
        assert await budget_pass(gateway_runtime) == {}

        await streamed(gateway_runtime, vehicle.external_id, 1)
        assert await budget_pass(gateway_runtime) == {vehicle.id: "paused_budget"}
        assert await on_car(sim, vehicle.external_id) == []
        paused = await read(api, vehicle.id)
        assert paused["status"] == "paused_budget"
        assert paused["budget"]["signals_today"] == 10
        tomorrow = next_day(utcnow())
        assert datetime.fromisoformat(paused["budget"]["paused_until"]) == tomorrow
        assert await event_types(api) == ["telemetry.paused"]
        # Paused: nothing more to pause.
        assert await budget_pass(gateway_runtime) == {}

        assert await budget_pass(gateway_runtime, now=tomorrow + timedelta(minutes=1)) == {vehicle.id: "pending"}
        [config] = await on_car(sim, vehicle.external_id)
        assert list(config["fields"]) == ["BatteryLevel"]
        resumed = await read(api, vehicle.id)
        assert resumed["status"] == "pending"
        assert resumed["budget"]["paused_until"] is None

    async def test_a_car_that_lost_the_key_while_paused_fails_when_posted_again(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        await configure(api, vehicle.id, signals_per_day_budget=5)
        await streamed(gateway_runtime, vehicle.external_id, 5)
        assert await budget_pass(gateway_runtime) == {vehicle.id: "paused_budget"}
        removed = await sim.delete(f"/sim/vehicles/{vehicle.external_id}/keys")
        assert removed.status_code == 200, removed.text

        later = next_day(utcnow()) + timedelta(minutes=1)
        assert await budget_pass(gateway_runtime, now=later) == {vehicle.id: "failed"}
        failed = await read(api, vehicle.id)
        assert failed["status"] == "failed"
        assert failed["error"]["name"] == "virtual_key_not_paired"
        assert await event_types(api) == ["telemetry.failed", "telemetry.paused"]


class TestWorkspaceBudget:
    async def test_a_spent_workspace_budget_pauses_every_vehicle(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        linked = await connect(vehicles=PAIRED_CARS, paired=True)
        vins = linked.account.vins
        for vin in vins:
            await configure(api, linked.device_id(vin))
        response = await api.put("/v1/workspace/telemetry-budget", json={"signals_per_day": 15})
        assert response.status_code == 200, response.text
        assert response.json() == {"signals_per_day": 15, "signals_today": 0}

        await streamed(gateway_runtime, vins[0], 8)
        assert await budget_pass(gateway_runtime) == {}
        await streamed(gateway_runtime, vins[1], 8)
        budget = (await api.get("/v1/workspace/telemetry-budget")).json()
        assert budget == {"signals_per_day": 15, "signals_today": 16}
        assert (await read(api, linked.device_id(vins[0])))["budget"]["workspace_signals_per_day"] == 15

        paused = {linked.device_id(vin): "paused_budget" for vin in vins}
        assert await budget_pass(gateway_runtime) == paused
        for vin in vins:
            assert await on_car(sim, vin) == []

    async def test_null_removes_the_budget(self, api: httpx.AsyncClient) -> None:
        assert (await api.put("/v1/workspace/telemetry-budget", json={"signals_per_day": 100})).status_code == 200
        response = await api.put("/v1/workspace/telemetry-budget", json={"signals_per_day": None})
        assert response.json() == {"signals_per_day": None, "signals_today": 0}
        refused = await api.put("/v1/workspace/telemetry-budget", json={"signals_per_day": 0})
        assert refused.status_code == 422, refused.text
