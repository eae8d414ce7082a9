"""Commands to a car that is asleep: woken once when `wake` allows it (a billed wake), refused without a wake when
it does not, and failed honestly when the car does not come online in time."""

from __future__ import annotations

from typing import Any

import httpx

from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.wake import WakePolicy
from tests.gateway.commands_support import finished, sim_vehicle
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector, LinkedDevice
from tests.gateway.test_device_state import calls

WAKE_UP = "POST /vehicles/{vehicle_tag}/wake_up"
SIGNED = "POST /vehicles/{vehicle_tag}/signed_command"


async def asleep_car(connect: Connector, sim: httpx.AsyncClient, **fields: Any) -> LinkedDevice:
    car = (await connect(paired=True)).vehicle
    changed = await sim.patch(f"/sim/vehicles/{car.external_id}", json={"state": "asleep", **fields})
    assert changed.status_code == 200, changed.text
    return car


class TestWake:
    async def test_an_asleep_car_is_woken_once_and_the_command_runs(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = await asleep_car(connect, sim, wake_delay_seconds=0.3)
        done = await finished(tenant.client, car.id, "set_sentry_mode", {"on": True})
        assert done["status"] == "succeeded", done
        assert done["attempts"] == 1
        truth = await sim_vehicle(sim, car.external_id)
        assert truth["sentry_mode"] is True
        assert truth["state"] == "online"
        assert (await calls(sim, tesla_app["client_id"]))[WAKE_UP] == 1

    async def test_wake_false_fails_without_waking(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = await asleep_car(connect, sim)
        done = await finished(tenant.client, car.id, "honk_horn", wake=False)
        assert done["status"] == "failed"
        assert done["error"]["code"] == "vehicle_asleep"
        assert done["error"]["remedy"]["retry_with"] == {"wake": True}
        assert done["reason"] == "vehicle unavailable: vehicle is offline or asleep"
        counted = await calls(sim, tesla_app["client_id"])
        assert counted[WAKE_UP] == 0
        truth = await sim_vehicle(sim, car.external_id)
        assert truth["state"] == "asleep"
        assert truth["executed_commands"] == []

    async def test_a_car_that_does_not_wake_in_time_fails_after_one_wake(
        self,
        connect: Connector,
        gateway_runtime: Runtime,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        gateway_runtime.wake = WakePolicy(timeout_seconds=1.0, first_pause_seconds=0.2)
        car = await asleep_car(connect, sim, wake_delay_seconds=3600)
        done = await finished(tenant.client, car.id, "door_unlock")
        assert done["status"] == "failed"
        assert done["error"]["code"] == "wake_timeout"
        assert "billed wake" in done["error"]["remedy"]["note"]
        counted = await calls(sim, tesla_app["client_id"])
        assert counted[WAKE_UP] == 1
        assert (await sim_vehicle(sim, car.external_id))["executed_commands"] == []

    async def test_wake_up_as_a_command_waits_until_online(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = await asleep_car(connect, sim, wake_delay_seconds=0.3)
        done = await finished(tenant.client, car.id, "wake_up")
        assert (done["status"], done["reason"]) == ("succeeded", "online")
        assert (await sim_vehicle(sim, car.external_id))["state"] == "online"
