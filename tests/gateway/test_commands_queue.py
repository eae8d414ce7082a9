"""The queue's guarantees: Idempotency-Key replays, cancellation while queued, `expires_in`, one command at a time
per vehicle in submission order, and retries that never send a non-idempotent command twice."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.gateway.commands_support import (
    command,
    finished,
    one_running_one_waiting,
    sim_vehicle,
    slow_down,
    submit,
    until,
)
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.simulator.factories import SimFactory


async def signed_calls(sim: httpx.AsyncClient, client_id: str) -> int:
    usage = (await sim.get("/sim/usage")).json()["endpoints"].get(client_id, {})
    return int(usage.get("POST /vehicles/{vehicle_tag}/signed_command", 0))


class TestIdempotencyKey:
    async def test_same_key_and_body_is_the_same_command_other_body_is_409(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        key = {"Idempotency-Key": "b3c1a7e0-lock-1"}
        first = await submit(tenant.client, car.id, "honk_horn", headers=key)
        replay = await submit(tenant.client, car.id, "honk_horn", headers=key, expect=200)
        assert replay["id"] == first["id"]
        conflict = await submit(tenant.client, car.id, "flash_lights", headers=key, expect=409)
        assert conflict["error"]["code"] == "idempotency_conflict"
        assert conflict["error"]["command_id"] == first["id"]
        done = await until(tenant.client, first["id"])
        assert done["status"] == "succeeded"
        # Replayed after it ran: still the same command, and the horn honked once.
        assert (await submit(tenant.client, car.id, "honk_horn", headers=key, expect=200))["status"] == "succeeded"
        executed = (await sim_vehicle(sim, car.external_id))["executed_commands"]
        assert [entry["name"] for entry in executed] == ["honk_horn"]
        bad = await submit(tenant.client, car.id, "honk_horn", headers={"Idempotency-Key": "x" * 201}, expect=422)
        assert bad["error"]["code"] == "validation_error"


class TestOrderAndExclusion:
    async def test_one_vehicles_commands_run_one_at_a_time_in_submission_order(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        other = (await connect("second@example.com", paired=True, reference_id="user-2")).vehicle
        await slow_down(sim, car.external_id, 150, count=3)
        limits = [60, 70, 80, 90, 75]
        queued = [await submit(tenant.client, car.id, "set_charge_limit", {"percent": p}) for p in limits]
        beside = await submit(tenant.client, other.id, "flash_lights")
        done = [await until(tenant.client, item["id"]) for item in queued]
        assert all(item["status"] == "succeeded" for item in done), done
        for earlier, later in itertools.pairwise(done):
            assert earlier["completed_at"] <= later["started_at"]
        executed = (await sim_vehicle(sim, car.external_id))["executed_commands"]
        assert [entry["params"]["percent"] for entry in executed] == limits
        assert (await sim_vehicle(sim, car.external_id))["charge_limit_soc"] == 75
        assert (await until(tenant.client, beside["id"]))["status"] == "succeeded"


class TestCancelAndExpiry:
    async def test_a_queued_command_can_be_cancelled_and_never_runs(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        running, waiting = await one_running_one_waiting(tenant.client, sim, car)

        cancelled = await tenant.client.post(f"/v1/commands/{waiting['id']}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "cancelled"
        busy = await tenant.client.post(f"/v1/commands/{running['id']}/cancel")
        assert busy.status_code == 409
        assert busy.json()["error"]["code"] == "command_not_cancellable"

        assert (await until(tenant.client, running["id"]))["status"] == "succeeded"
        again = await tenant.client.post(f"/v1/commands/{waiting['id']}/cancel")
        assert again.status_code == 409
        assert "already ended (cancelled)" in again.json()["error"]["message"]
        assert (await command(tenant.client, waiting["id"]))["attempts"] == 0
        events = (await tenant.client.get("/v1/events", params={"type": "command.*"})).json()["data"]
        assert [(event["type"], event["data"]["id"]) for event in events] == [  # newest first
            ("command.succeeded", running["id"]),
            ("command.cancelled", waiting["id"]),
        ]
        executed = (await sim_vehicle(sim, car.external_id))["executed_commands"]
        assert [entry["name"] for entry in executed] == ["flash_lights"]

    async def test_a_command_that_waits_past_expires_in_expires_unsent(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        await slow_down(sim, car.external_id, 2500)
        running = await submit(tenant.client, car.id, "flash_lights")
        short = await submit(tenant.client, car.id, "honk_horn", expires_in=1)
        expired = await until(tenant.client, short["id"])
        assert expired["status"] == "expired"
        assert expired["attempts"] == 0
        assert expired["reason"] == "expired before it could run"
        events = (await tenant.client.get("/v1/events", params={"type": "command.expired"})).json()["data"]
        assert [event["data"]["id"] for event in events] == [short["id"]]
        assert events[0]["data"]["status"] == "expired"
        assert (await until(tenant.client, running["id"]))["status"] == "succeeded"
        executed = (await sim_vehicle(sim, car.external_id))["executed_commands"]
        assert [entry["name"] for entry in executed] == ["flash_lights"]


class TestRetries:
    async def test_an_idempotent_command_is_sent_again_after_a_500(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        assert (await finished(tenant.client, car.id, "flash_lights"))["status"] == "succeeded"  # session in place
        fault = {"path": "/signed_command", "vin": car.external_id, "status": 500, "count": 1}
        assert (await sim.post("/sim/faults", json=fault)).status_code == 201
        done = await finished(tenant.client, car.id, "door_lock")
        assert done["status"] == "succeeded", done
        assert done["attempts"] == 2

    async def test_a_non_idempotent_command_is_not_sent_again_after_a_500(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        # The infotainment domain's session in place: the 500 below answers the command itself.
        assert (await finished(tenant.client, car.id, "set_charge_limit", {"percent": 70}))["status"] == "succeeded"
        fault = {"path": "/signed_command", "vin": car.external_id, "status": 500, "count": 1}
        assert (await sim.post("/sim/faults", json=fault)).status_code == 201
        done = await finished(tenant.client, car.id, "honk_horn")
        # Tesla's 500 may come after the car ran it: the gateway cannot know, so it says so and does not honk again.
        assert (done["status"], done["reason"], done["error"]["code"]) == (
            "failed",
            "outcome_unknown",
            "outcome_unknown",
        )
        assert done["attempts"] == 1
        executed = (await sim_vehicle(sim, car.external_id))["executed_commands"]
        assert [entry["name"] for entry in executed] == ["set_charge_limit"]

    async def test_a_non_idempotent_command_whose_handshake_failed_is_sent_once(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        # No session yet: the first signed_command is the handshake, which runs nothing on the car.
        fault = {"path": "/signed_command", "vin": car.external_id, "status": 500, "count": 1}
        assert (await sim.post("/sim/faults", json=fault)).status_code == 201
        done = await finished(tenant.client, car.id, "honk_horn")
        assert (done["status"], done["attempts"]) == ("succeeded", 2), done
        executed = (await sim_vehicle(sim, car.external_id))["executed_commands"]
        assert [entry["name"] for entry in executed] == ["honk_horn"]


class TestDeviceGone:
    async def test_a_queued_command_to_a_device_removed_meanwhile_fails_unsent(
        self, connect: Connector, sim: httpx.AsyncClient, factory: SimFactory, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect(paired=True)).vehicle
        running, waiting = await one_running_one_waiting(tenant.client, sim, car)
        elsewhere = await factory.account(email="new-owner@example.com")
        sold = await sim.patch(f"/sim/vehicles/{car.external_id}", json={"account_id": elsewhere["id"]})
        assert sold.status_code == 200, sold.text
        synced = await tenant.client.post(f"/v1/connections/{car.linked.connection_id}/sync")
        assert synced.status_code == 200, synced.text

        await until(tenant.client, running["id"])
        sent_before = await signed_calls(sim, tesla_app["client_id"])
        gone = await until(tenant.client, waiting["id"])
        assert gone["status"] == "failed"
        assert gone["error"]["code"] == "device_removed"
        assert gone["error"]["remedy"]["sync_url"] == f"/v1/connections/{car.linked.connection_id}/sync"
        assert await signed_calls(sim, tesla_app["client_id"]) == sent_before
        refused = await submit(tenant.client, car.id, "honk_horn", expect=410)
        assert refused["error"]["code"] == "device_removed"


class TestAfterAnAttemptThatMayHaveRun:
    async def test_a_later_failure_ends_it_outcome_unknown(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        assert (await finished(tenant.client, car.id, "flash_lights"))["status"] == "succeeded"  # session in place
        # Tesla answers 500 (the car may have taken the new limit); the command is idempotent and sent again, and the
        # car is then unreachable. That it did not take the second attempt says nothing of the first.
        for fault in (
            {"path": "/signed_command", "vin": car.external_id, "status": 500, "count": 1},
            {"path": "/signed_command", "vin": car.external_id, "status": 408, "count": 1},
        ):
            assert (await sim.post("/sim/faults", json=fault)).status_code == 201
        done = await finished(tenant.client, car.id, "set_charge_limit", {"percent": 70}, wake=False)

        assert (done["status"], done["reason"], done["error"]["code"], done["attempts"]) == (
            "failed",
            "outcome_unknown",
            "outcome_unknown",
            2,
        ), done
        assert "An earlier attempt may have reached the car" in done["error"]["message"]
