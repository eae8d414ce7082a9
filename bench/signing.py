"""Signed commands through `SignedCommander` against the in-process simulator: throughput and upstream calls.

One app, one account with `--vehicles` cars paired with the app's key, and `--commands` signed commands spread
evenly over the cars, mixed across both domains (VCSEC: door_lock / door_unlock; infotainment: honk_horn,
flash_lights, set_charge_limit alternating between two values, so that the car never refuses one). Each round
sends one command to every car at once; simulated time then moves on so that no car exceeds Tesla's 30 commands a
minute (handshakes count too). The commander reads the simulator's clock, as a gateway's clock runs with the cars'.

A second, shorter run in the same process uses a commander whose session cache is emptied before every command,
to show what the cache saves. Billed calls come from the simulator's usage counters (`GET /sim/usage`).

Run: `python bench/signing.py` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.protocol.keys import public_key_pem, random_private_key
from fleetgate.simulator.app import create_simulator_app
from fleetgate.simulator.world import World
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.fleet import FleetSession, StaticToken
from fleetgate.tesla.signing.commander import SignedCommander

SIM = "http://sim.test"
DOMAINS = 2  # VCSEC and infotainment
COMMANDS_PER_MINUTE = 30  # Tesla's per-vehicle limit
HEADROOM = 2  # calls a minute kept free, so that rounding at the edge of the one-minute window never hits 429
SCOPES = "openid offline_access vehicle_device_data vehicle_cmds vehicle_charging_cmds"


@dataclass(frozen=True)
class Fleet:
    client_id: str
    vins: list[str]
    api: FleetApi
    session: FleetSession


def command_for(vehicle_round: int) -> tuple[str, dict[str, Any]]:
    """The n-th command a car gets: VCSEC and infotainment interleaved, nothing the car would refuse."""
    step, cycle = vehicle_round % 5, vehicle_round // 5
    if step == 0:
        return "door_lock", {}
    if step == 1:
        return "honk_horn", {}
    if step == 2:
        return "door_unlock", {}
    if step == 3:
        return "flash_lights", {}
    return "set_charge_limit", {"percent": 70 if cycle % 2 == 0 else 80}  # cars start at 80


async def seed(
    control: httpx.AsyncClient, http: httpx.AsyncClient, vehicles: int
) -> tuple[Fleet, ec.EllipticCurvePrivateKey]:
    async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await control.post(path, json=body)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    key = random_private_key()
    pem = public_key_pem(key).decode()
    app = await post("/sim/apps", {"name": "Bench", "redirect_uris": ["https://bench.example.com/cb"]})
    await post(f"/sim/apps/{app['client_id']}/partner_accounts", {"domain": "bench.example.com", "public_key": pem})
    account = await post("/sim/accounts", {"email": "bench@example.com", "region": "na"})
    vins = []
    for _ in range(vehicles):
        vin = (await post(f"/sim/accounts/{account['id']}/vehicles", {}))["vin"]
        await post(f"/sim/vehicles/{vin}/keys", {"public_key": pem, "role": "owner"})
        vins.append(vin)
    tokens = await post("/sim/tokens", {"client_id": app["client_id"], "account_id": account["id"], "scopes": SCOPES})
    session = FleetSession(http, TeslaEndpoints.simulator(SIM), StaticToken(tokens["access_token"]), "na")
    return Fleet(app["client_id"], vins, FleetApi(session), session), key


async def billed_commands(control: httpx.AsyncClient, client_id: str) -> int:
    usage = (await control.get("/sim/usage")).json()
    return int(usage["clients"].get(client_id, {}).get("totals", {}).get("commands", 0))


async def run_rounds(
    fleet: Fleet,
    commander: SignedCommander,
    world: World,
    commands: int,
    *,
    calls_per_command: int,
    before_each: Callable[[str], None] = lambda vin: None,
) -> float:
    """Sends `commands` commands; returns the wall time spent sending them (clock moves excluded)."""
    rounds = commands // len(fleet.vins)
    # One round is one call per car per command, plus a handshake per domain in a car's first rounds.
    pace = 60.0 / (COMMANDS_PER_MINUTE - DOMAINS - HEADROOM) * calls_per_command
    spent = 0.0
    for n in range(rounds):
        name, params = command_for(n)
        started = time.perf_counter()

        async def send(vin: str, name: str = name, params: dict[str, Any] = params) -> None:
            before_each(vin)
            result = await commander.execute(fleet.api, vin, name, params)
            if not (result.result and result.signed):
                raise RuntimeError(f"{name} on {vin} was not a signed success: {result}")

        await asyncio.gather(*(send(vin) for vin in fleet.vins))
        spent += time.perf_counter() - started
        world.clock.advance(pace)
    return spent


async def main(commands: int, vehicles: int, uncached_commands: int) -> None:
    world = World(seed=1)
    sim = create_simulator_app(world)
    async with sim.router.lifespan_context(sim):
        transport = httpx.ASGITransport(app=sim)
        async with (
            httpx.AsyncClient(transport=transport, base_url=SIM) as control,
            httpx.AsyncClient(transport=transport) as http,
        ):
            fleet, key = await seed(control, http, vehicles)

            cached = SignedCommander(key, clock=world.now)
            calls_before = await billed_commands(control, fleet.client_id)
            elapsed = await run_rounds(fleet, cached, world, commands, calls_per_command=1)
            cached_calls = await billed_commands(control, fleet.client_id) - calls_before
            sent = commands // vehicles * vehicles

            world.clock.advance(60)  # an empty rate-limit window for the second run
            uncached = SignedCommander(key, clock=world.now)
            calls_before = await billed_commands(control, fleet.client_id)
            await run_rounds(
                fleet,
                uncached,
                world,
                uncached_commands,
                calls_per_command=2,
                before_each=uncached.sessions.forget,
            )
            uncached_calls = await billed_commands(control, fleet.client_id) - calls_before
            uncached_sent = uncached_commands // vehicles * vehicles

            executed = 0
            for vin in fleet.vins:
                executed += len((await control.get(f"/sim/vehicles/{vin}")).json()["executed_commands"])
            if executed != sent + uncached_sent:
                raise RuntimeError(f"the cars ran {executed} commands, {sent + uncached_sent} were sent")

    print(f"RESULT commands={sent}")
    print(f"RESULT vehicles={vehicles}")
    print(f"RESULT signed_commands_per_second={sent / elapsed:.1f}")
    print(f"RESULT handshakes_per_vehicle_domain={cached.handshakes / (vehicles * DOMAINS):.2f}")
    print(f"RESULT resyncs={cached.resyncs}")
    print(f"RESULT upstream_calls_per_command={cached_calls / sent:.3f}")
    print(f"RESULT uncached_commands={uncached_sent}")
    print(f"RESULT upstream_calls_per_command_without_cache={uncached_calls / uncached_sent:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--vehicles", type=int, default=10)
    parser.add_argument("--uncached-commands", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.commands, args.vehicles, args.uncached_commands))
