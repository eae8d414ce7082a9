"""The virtual key and commands. A command for a car Tesla said lacks the app's key is refused at submission, with
the pairing link, nothing queued, sent or billed; once the owner approves the key and fleetgate knows (a check, or
Tesla asked again because what it said is old), the command goes through. Asked to try anyway, the command goes to
the car, which refuses it with Tesla's words."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Device
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.errors import KEY_NOT_PAIRED_REASON
from tests.gateway.commands_support import finished, sim_vehicle, submit, until
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector, LinkedDevice, change_access_on_tesla
from tests.simulator.factories import SimFactory

TRANSACTION = re.compile(r'name="transaction_id" value="([^"]+)"')
BILLED_NOTHING = {"data": 0, "commands": 0, "wakes": 0, "streaming_signals": 0}


def transaction_of(page: httpx.Response) -> str:
    match = TRANSACTION.search(page.text)
    assert match, page.text
    return match.group(1)


async def approve_on_pairing_page(sim: httpx.AsyncClient, pairing_url: str, email: str) -> None:
    """What the owner does with the pairing link: sign in, then approve the key."""
    link = await sim.get(pairing_url)
    assert link.status_code == 200, link.text
    path = httpx.URL(pairing_url).path
    approval = await sim.post(path, data={"transaction_id": transaction_of(link), "email": email})
    assert approval.status_code == 200, approval.text
    decided = await sim.post(
        f"{path}/decision", data={"transaction_id": transaction_of(approval), "decision": "approve"}
    )
    assert decided.status_code == 200, decided.text


async def device(api: httpx.AsyncClient, device_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await api.get(f"/v1/devices/{device_id}")).json()
    return found


async def refused(api: httpx.AsyncClient, device_id: str, command: str = "door_lock") -> dict[str, Any]:
    response = await api.post(f"/v1/devices/{device_id}/commands", json={"command": command})
    assert response.status_code == 409, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "virtual_key_not_paired", error
    return error


async def usage(api: httpx.AsyncClient) -> dict[str, Any]:
    response = await api.get("/v1/usage")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def commands_of(api: httpx.AsyncClient, device_id: str) -> list[dict[str, Any]]:
    response = await api.get(f"/v1/devices/{device_id}/commands")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


async def pair_on_the_car(sim: httpx.AsyncClient, car: LinkedDevice, tesla_app: dict[str, Any]) -> None:
    """The owner adds the app's key, and fleetgate is not told."""
    await SimFactory(sim).pair(car.external_id, tesla_app["public_key_pem"])


async def said_long_ago(runtime: Runtime, device_id: str) -> None:
    """What Tesla last said of the car's key, as if it had been said two hours ago."""
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(
            update(Device).where(Device.id == device_id).values(virtual_key_checked_at=utcnow() - timedelta(hours=2))
        )


class TestRefusedBeforeQueueing:
    async def test_refused_with_the_pairing_link_nothing_queued_woken_or_billed_then_paired_it_goes_through(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(vehicles=[{"state": "asleep", "display_name": "Red Arrow"}])).vehicle
        before = await device(tenant.client, car.id)
        assert before["virtual_key"]["paired"] is False  # fleet_status at connect said so
        calls_before = (await usage(tenant.client))["unbilled_calls"]

        error = await refused(tenant.client, car.id)
        assert "door_lock" in error["message"]
        assert f"Red Arrow (VIN {car.external_id})" in error["message"]
        assert error["device_id"] == car.id
        remedy = error["remedy"]
        assert remedy["action"] == "pair_virtual_key"
        assert remedy["pairing_url"] == before["virtual_key"]["pairing_url"]
        assert remedy["pairing_url"] == f"http://sim.test/_ak/gateway.test?vin={car.external_id}"
        assert remedy["check_url"] == f"/v1/devices/{car.id}/virtual-key/check"
        assert remedy["retry_with"] == {"if_key_missing": "try"}
        assert '"if_key_missing": "try"' in remedy["note"]
        # The device's capability says the same, in the same words.
        commands = before["capabilities"]["commands"]
        assert (commands["available"], commands["reason"], commands["remedy"]) == (
            False,
            "virtual_key_not_paired",
            remedy,
        )

        # Nothing queued, nothing asked of Tesla (what it said is fresh), the car still asleep.
        assert await commands_of(tenant.client, car.id) == []
        after = await usage(tenant.client)
        assert (after["totals"], after["unbilled_calls"]) == (BILLED_NOTHING, calls_before)
        assert (await sim_vehicle(sim, car.external_id))["state"] == "asleep"
        failed = (await tenant.client.get("/v1/events", params={"type": "command.*"})).json()["data"]
        assert failed == []

        await approve_on_pairing_page(sim, remedy["pairing_url"], car.linked.account.email)
        checked = await tenant.client.post(remedy["check_url"])
        assert checked.status_code == 200, checked.text
        assert checked.json()["paired"] is True

        done = await finished(tenant.client, car.id, "door_lock")
        assert done["status"] == "succeeded", done
        assert (await sim_vehicle(sim, car.external_id))["locked"] is True
        paired = await device(tenant.client, car.id)
        assert paired["virtual_key"]["paired"] is True
        assert paired["capabilities"]["commands"]["available"] is True
        flipped = (await tenant.client.get("/v1/events", params={"type": "virtual_key.*"})).json()["data"]
        assert [(event["type"], event["data"]["id"]) for event in flipped] == [("virtual_key.paired", car.id)]

    async def test_charging_commands_too(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect()).vehicle
        await refused(tenant.client, car.id, "charge_start")
        assert await commands_of(tenant.client, car.id) == []

    async def test_try_anyway_queues_it_and_the_car_refuses_with_teslas_words(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect()).vehicle
        pairing_url = (await device(tenant.client, car.id))["virtual_key"]["pairing_url"]

        tried = await finished(tenant.client, car.id, "door_lock", if_key_missing="try")
        assert tried["status"] == "failed"
        assert tried["reason"] == KEY_NOT_PAIRED_REASON
        assert tried["reason"] == "vehicle rejected request: your public key has not been paired with the vehicle"
        assert tried["error"]["code"] == "virtual_key_not_paired"
        assert tried["error"]["remedy"]["pairing_url"] == pairing_url
        assert (await usage(tenant.client))["totals"]["commands"] == 1  # the car's refusal is billed
        assert (await device(tenant.client, car.id))["virtual_key"]["paired"] is False

        failed_events = (await tenant.client.get("/v1/events", params={"type": "command.failed"})).json()["data"]
        assert [event["data"]["id"] for event in failed_events] == [tried["id"]]
        assert failed_events[0]["data"]["error"]["remedy"]["pairing_url"] == pairing_url

        # The owner paired the key a moment ago, and the caller knows better than what fleetgate was told.
        await approve_on_pairing_page(sim, pairing_url, car.linked.account.email)
        done = await finished(tenant.client, car.id, "door_lock", if_key_missing="try")
        assert done["status"] == "succeeded", done
        assert (await device(tenant.client, car.id))["virtual_key"]["paired"] is True

    async def test_a_key_never_checked_is_left_to_tesla(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        # Tesla does not answer fleet_status at the link: whether the key is on the car is not known.
        fault = {"path": "/fleet_status", "status": 403, "count": 1, "body": {"error": "Unauthorized missing scopes"}}
        assert (await sim.post("/sim/faults", json=fault)).status_code == 201
        car = (await connect()).vehicle
        assert (await device(tenant.client, car.id))["virtual_key"]["paired"] is None

        tried = await finished(tenant.client, car.id, "door_lock")
        assert (tried["status"], tried["error"]["code"]) == ("failed", "virtual_key_not_paired")

    async def test_commands_without_the_key_and_cars_that_do_not_require_it_are_not_refused(
        self, connect: Connector, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=[{"command_signing": "required"}, {"command_signing": "allowed"}])
        required, allowed = (linked.device_id(vin) for vin in linked.account.vins)
        assert (await device(tenant.client, allowed))["virtual_key"]["paired"] is False

        woken = await finished(tenant.client, required, "wake_up")
        assert (woken["status"], woken["reason"]) == ("succeeded", "online")
        # Not refused at submission: the key is not what such a car requires.
        assert (await submit(tenant.client, allowed, "door_lock"))["status"] == "queued"

    async def test_a_car_that_takes_rest_gets_rest_where_signing_cannot_work(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        without_key = await connect(vehicles=[{"command_signing": "allowed"}, {"command_signing": "off"}])
        with_key = await connect(
            "other@example.com", vehicles=[{"command_signing": "allowed"}], paired=True, reference_id="user-2"
        )
        expected = {**dict.fromkeys(without_key.account.vins, "rest"), with_key.account.vins[0]: "signed"}

        for linked in (without_key, with_key):
            for vin in linked.account.vins:
                done = await finished(tenant.client, linked.device_id(vin), "door_lock")
                assert done["status"] == "succeeded", done
        # Signed where the car has the key; REST to a car that speaks no protocol or allows REST and lacks the key.
        via = {vin: (await sim_vehicle(sim, vin))["executed_commands"][-1]["via"] for vin in expected}
        assert via == expected

    async def test_a_key_removed_from_the_car_fails_the_next_command_and_the_device_follows(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        assert (await finished(tenant.client, car.id, "flash_lights"))["status"] == "succeeded"
        assert (await device(tenant.client, car.id))["virtual_key"]["paired"] is True

        assert (await sim.delete(f"/sim/vehicles/{car.external_id}/keys")).status_code in (200, 204)
        # Rebooting forgets the sessions the gateway holds, as a car does when its keys change.
        assert (await sim.post(f"/sim/vehicles/{car.external_id}/reboot")).status_code in (200, 204)
        failed = await finished(tenant.client, car.id, "flash_lights")
        assert failed["status"] == "failed"
        assert failed["error"]["code"] == "virtual_key_not_paired"
        assert (await device(tenant.client, car.id))["virtual_key"]["paired"] is False
        flipped = (await tenant.client.get("/v1/events", params={"type": "virtual_key.*"})).json()["data"]
        assert [event["type"] for event in flipped] == ["virtual_key.unpaired"]
        # From now on fleetgate knows: the next one is refused before it is queued.
        await refused(tenant.client, car.id, "flash_lights")


class TestAskingTeslaAgain:
    async def test_an_old_status_is_checked_again_and_a_car_paired_since_takes_the_command(
        self,
        connect: Connector,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        gateway_runtime: Runtime,
        tesla_app: dict[str, Any],
    ) -> None:
        car = (await connect()).vehicle
        await pair_on_the_car(sim, car, tesla_app)
        await said_long_ago(gateway_runtime, car.id)
        calls_before = (await usage(tenant.client))["unbilled_calls"]

        queued = await submit(tenant.client, car.id, "door_lock")
        assert (await usage(tenant.client))["unbilled_calls"] == calls_before + 1  # one fleet_status, not billed
        done = await until(tenant.client, queued["id"])
        assert done["status"] == "succeeded", done
        assert (await sim_vehicle(sim, car.external_id))["locked"] is True
        key = (await device(tenant.client, car.id))["virtual_key"]
        assert key["paired"] is True
        flipped = (await tenant.client.get("/v1/events", params={"type": "virtual_key.*"})).json()["data"]
        assert [event["type"] for event in flipped] == ["virtual_key.paired"]

    async def test_an_old_status_still_unpaired_is_refused_and_the_check_is_kept(
        self, connect: Connector, tenant: Tenant, gateway_runtime: Runtime
    ) -> None:
        car = (await connect()).vehicle
        await said_long_ago(gateway_runtime, car.id)
        old = (await device(tenant.client, car.id))["virtual_key"]["checked_at"]
        calls_before = (await usage(tenant.client))["unbilled_calls"]

        await refused(tenant.client, car.id)
        key = (await device(tenant.client, car.id))["virtual_key"]
        assert key["paired"] is False
        assert key["checked_at"] > old  # kept, though the request was refused
        # Checked, so fresh again: a second submission does not ask Tesla.
        await refused(tenant.client, car.id)
        after = await usage(tenant.client)
        assert (after["totals"], after["unbilled_calls"]) == (BILLED_NOTHING, calls_before + 1)
        assert await commands_of(tenant.client, car.id) == []

    async def test_a_fresh_status_is_not_checked_again(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        await pair_on_the_car(sim, car, tesla_app)
        calls_before = (await usage(tenant.client))["unbilled_calls"]

        # What Tesla said at the link stands until it is old (or checked): fleetgate does not know of the pairing.
        await refused(tenant.client, car.id)
        assert (await usage(tenant.client))["unbilled_calls"] == calls_before

    async def test_when_tesla_cannot_be_asked_the_last_answer_decides(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, gateway_runtime: Runtime
    ) -> None:
        car = (await connect()).vehicle
        await said_long_ago(gateway_runtime, car.id)
        fault = {"path": "/fleet_status", "status": 503, "body": {"error": "upstream unavailable"}}
        assert (await sim.post("/sim/faults", json=fault)).status_code == 201

        await refused(tenant.client, car.id)
        assert (await device(tenant.client, car.id))["virtual_key"]["paired"] is False
        assert await commands_of(tenant.client, car.id) == []

    async def test_when_tesla_ended_the_access_the_reconnect_comes_first(
        self,
        connect: Connector,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        gateway_runtime: Runtime,
        tesla_app: dict[str, Any],
    ) -> None:
        linked = await connect()
        await said_long_ago(gateway_runtime, linked.vehicle.id)
        await change_access_on_tesla(sim, tesla_app["client_id"], linked.account.email, keep=None)

        response = await tenant.client.post(f"/v1/devices/{linked.vehicle.id}/commands", json={"command": "door_lock"})
        assert response.status_code == 409, response.text
        error = response.json()["error"]
        assert error["code"] == "needs_reconnect"
        assert "reconnect_link" in error["remedy"]
        connection = (await tenant.client.get(f"/v1/connections/{linked.connection_id}")).json()
        assert connection["status"] == "needs_reconnect"
        assert await commands_of(tenant.client, linked.vehicle.id) == []

    async def test_with_an_idempotency_key_the_check_runs_once_and_a_replay_asks_nothing(
        self,
        connect: Connector,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        gateway_runtime: Runtime,
        tesla_app: dict[str, Any],
    ) -> None:
        car = (await connect()).vehicle
        await pair_on_the_car(sim, car, tesla_app)
        await said_long_ago(gateway_runtime, car.id)
        calls_before = (await usage(tenant.client))["unbilled_calls"]

        headers = {"Idempotency-Key": "lock-once"}
        queued = await submit(tenant.client, car.id, "door_lock", headers=headers)
        replayed = await submit(tenant.client, car.id, "door_lock", headers=headers, expect=200)
        assert replayed["id"] == queued["id"]
        assert (await usage(tenant.client))["unbilled_calls"] == calls_before + 1
        assert (await until(tenant.client, queued["id"]))["status"] == "succeeded"
