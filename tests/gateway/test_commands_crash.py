"""Nothing lost: `fleetgate serve` killed with `kill -9` while commands are queued and in flight, then started
again. Every accepted command ends in a terminal state; an idempotent one that was in flight is sent again; a
non-idempotent one that may have reached the car is never sent twice and ends `failed` with `outcome_unknown`, while
one killed before it left (during its handshake) is sent after the restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.gateway.commands_support import finished, sim_vehicle, submit, until
from tests.gateway.flows import connect_hosted, device_ids, tesla_account
from tests.gateway.processes import api_key_for, gateway_processes, kill_hard, new_port
from tests.simulator.factories import SimFactory
from tests.support.live import LiveServer
from tests.support.polling import eventually

pytestmark = pytest.mark.live
ACCESS = ["vehicle_data", "vehicle_commands", "vehicle_charging_commands"]
# Long enough that the answer is still on its way when the process dies; the car has acted on the command by then.
ANSWER_DELAY_MS = 10_000


async def registered_app(factory: SimFactory, gateway_url: str, domain: str) -> dict[str, Any]:
    app = await factory.app(
        domain=domain, redirect_uris=[f"{gateway_url}/connect/callback"], allowed_origins=[gateway_url]
    )
    app["domain"] = domain
    return app


async def executed(sim: httpx.AsyncClient, vin: str) -> list[str]:
    return [entry["name"] for entry in (await sim_vehicle(sim, vin))["executed_commands"]]


async def until_executed(sim: httpx.AsyncClient, vin: str, name: str) -> None:
    await eventually(lambda: executed(sim, vin), until=lambda names: name in names, what=f"{vin} to receive {name}")


class TestKilledAndRestarted:
    async def test_every_command_ends_and_none_is_sent_twice_unless_idempotent(
        self,
        database_url: str,
        live_sim: LiveServer,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tmp_path: Path,
    ) -> None:
        port = new_port()
        url = f"http://127.0.0.1:{port}"
        app = await registered_app(factory, url, "crash.example.com")
        key = await api_key_for(database_url)
        with gateway_processes(tmp_path, database_url, live_sim.url, app, port, command_lease_seconds=2) as procs:
            server = procs.serve()
            auth = {"Authorization": f"Bearer {key}"}
            async with (
                httpx.AsyncClient(base_url=url, headers=auth, timeout=30) as api,
                httpx.AsyncClient(base_url=url, timeout=30) as gateway,
            ):
                account = await tesla_account(factory, vehicles=[{}, {}, {}])
                for vin in account.vins:
                    await factory.pair(vin, app["public_key_pem"])
                linked = await connect_hosted(api, gateway, sim, email=account.email, access=ACCESS)
                assert linked["status"] == "completed", linked
                devices = await device_ids(api)
                honking, charging, fresh = account.vins
                # A session with the first two cars' infotainment, so that their delayed call is the command; the
                # third car's delayed call is the handshake that comes before its command.
                for vin in (honking, charging):
                    assert (await finished(api, devices[vin], "flash_lights"))["status"] == "succeeded"
                for vin in account.vins:
                    fault = {"path": "/signed_command", "vin": vin, "latency_ms": ANSWER_DELAY_MS, "count": 1}
                    assert (await sim.post("/sim/faults", json=fault)).status_code == 201

                honk = await submit(api, devices[honking], "honk_horn")
                behind = await submit(api, devices[honking], "flash_lights")
                limit = await submit(api, devices[charging], "set_charge_limit", {"percent": 66})
                unsent = await submit(api, devices[fresh], "honk_horn")
                await until_executed(sim, honking, "honk_horn")
                await until_executed(sim, charging, "set_charge_limit")
                await until(api, unsent["id"], frozenset({"in_progress"}))  # its handshake is on the way
                # ... and has reached the simulator (its delay fault taken): a call the ledger holds but that the kill
                # stopped before it left would be counted by the ledger and not billed.
                await eventually(
                    lambda: sim.get("/sim/faults"),
                    until=lambda answer: all(fault["vin"] != fresh for fault in answer.json()["data"]),
                    what="the third car's handshake to reach the simulator",
                )
                kill_hard(server)

                procs.serve()
                honked = await until(api, honk["id"])
                flashed = await until(api, behind["id"])
                limited = await until(api, limit["id"])
                resent = await until(api, unsent["id"])
                failures = (await api.get("/v1/events", params={"type": "command.failed"})).json()["data"]
                assert [event["data"]["id"] for event in failures] == [honk["id"]]
                assert failures[0]["data"]["reason"] == "outcome_unknown"
                # Calls in flight at the kill may have been served: Tesla bills them, and so does the ledger.
                billed = (await sim.get("/sim/usage")).json()["clients"][app["client_id"]]["totals"]
                ledger = (await api.get("/v1/usage")).json()["totals"]
                assert ledger == {name: billed[name] for name in ledger}, (ledger, billed)

            assert honked["status"] == "failed"
            assert honked["reason"] == "outcome_unknown"
            assert honked["error"]["code"] == "outcome_unknown"
            assert "not sent again" in honked["error"]["message"]
            assert honked["attempts"] == 1
            assert flashed["status"] == "succeeded", flashed
            assert limited["status"] == "succeeded", limited
            assert limited["attempts"] == 2
            assert await executed(sim, honking) == ["flash_lights", "honk_horn", "flash_lights"]
            assert await executed(sim, charging) == ["flash_lights", "set_charge_limit", "set_charge_limit"]
            assert (await sim_vehicle(sim, charging))["charge_limit_soc"] == 66
            # Killed during the handshake, before the command itself left: sent after the restart, once.
            assert (resent["status"], resent["attempts"]) == ("succeeded", 2)
            assert await executed(sim, fresh) == ["honk_horn"]
