"""The virtual key and commands: a car that does not know the app's key refuses, the command fails with Tesla's
words and the pairing link, the device says so; once the owner approves the key on the pairing page, the next
command goes through and the device says that too."""

from __future__ import annotations

import re
from typing import Any

import httpx

from fleetgate.tesla.errors import KEY_NOT_PAIRED_REASON
from tests.gateway.commands_support import finished, sim_vehicle
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector

TRANSACTION = re.compile(r'name="transaction_id" value="([^"]+)"')


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


class TestUnpairedThenPaired:
    async def test_refused_for_the_key_then_approved_then_it_succeeds(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect()).vehicle
        before = await device(tenant.client, car.id)
        assert before["virtual_key"]["paired"] is False  # fleet_status at connect said so

        refused = await finished(tenant.client, car.id, "door_lock")
        assert refused["status"] == "failed"
        assert refused["reason"] == KEY_NOT_PAIRED_REASON
        assert refused["reason"] == "vehicle rejected request: your public key has not been paired with the vehicle"
        assert refused["error"]["code"] == "virtual_key_not_paired"
        pairing_url = refused["error"]["remedy"]["pairing_url"]
        assert pairing_url == before["virtual_key"]["pairing_url"]
        assert pairing_url == f"http://sim.test/_ak/gateway.test?vin={car.external_id}"

        unpaired = await device(tenant.client, car.id)
        assert unpaired["virtual_key"]["paired"] is False
        assert unpaired["capabilities"]["commands"]["available"] is False
        assert unpaired["capabilities"]["commands"]["reason"] == "virtual_key_not_paired"
        assert unpaired["capabilities"]["commands"]["remedy"]["pairing_url"] == pairing_url
        assert (await sim_vehicle(sim, car.external_id))["locked"] is not None

        await approve_on_pairing_page(sim, pairing_url, car.linked.account.email)

        done = await finished(tenant.client, car.id, "door_lock")
        assert done["status"] == "succeeded", done
        assert (await sim_vehicle(sim, car.external_id))["locked"] is True
        paired = await device(tenant.client, car.id)
        assert paired["virtual_key"]["paired"] is True
        assert paired["capabilities"]["commands"]["available"] is True
        assert paired["virtual_key"]["checked_at"] >= unpaired["virtual_key"]["checked_at"]

        failed_events = (await tenant.client.get("/v1/events", params={"type": "command.failed"})).json()["data"]
        assert [event["data"]["id"] for event in failed_events] == [refused["id"]]
        assert failed_events[0]["data"]["reason"] == KEY_NOT_PAIRED_REASON
        assert failed_events[0]["data"]["error"]["remedy"]["pairing_url"] == pairing_url
        flipped = (await tenant.client.get("/v1/events", params={"type": "virtual_key.*"})).json()["data"]
        assert [(event["type"], event["data"]["id"]) for event in flipped] == [("virtual_key.paired", car.id)]

    async def test_a_key_removed_from_the_car_fails_the_next_command_and_the_device_follows(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        assert (await finished(tenant.client, car.id, "flash_lights"))["status"] == "succeeded"
        assert (await device(tenant.client, car.id))["virtual_key"]["paired"] is True

        assert (await sim.delete(f"/sim/vehicles/{car.external_id}/keys")).status_code in (200, 204)
        # Rebooting forgets the sessions the gateway holds, as a car does when its keys change.
        assert (await sim.post(f"/sim/vehicles/{car.external_id}/reboot")).status_code in (200, 204)
        refused = await finished(tenant.client, car.id, "flash_lights")
        assert refused["status"] == "failed"
        assert refused["error"]["code"] == "virtual_key_not_paired"
        assert (await device(tenant.client, car.id))["virtual_key"]["paired"] is False
        flipped = (await tenant.client.get("/v1/events", params={"type": "virtual_key.*"})).json()["data"]
        assert [event["type"] for event in flipped] == ["virtual_key.unpaired"]

    async def test_waking_needs_no_key(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect()).vehicle
        done = await finished(tenant.client, car.id, "wake_up")
        assert (done["status"], done["reason"]) == ("succeeded", "online")
