"""Durable commands through the gateway's API, over real sockets: every command ends, each session is made once,
and nothing is sent twice.

Two servers, each a uvicorn process of its own on a loopback port (started as `state_reads.py` starts them): the
Tesla simulator, and the gateway (SQLite in a temporary directory, or `--database-url`) with its in-process
executor. One account with `--vehicles` online cars, each paired with the app's key, is linked through the hosted
connect flow with the simulator's scripted consent.

(a) `--commands` commands submitted through `POST /v1/devices/{id}/commands`, spread evenly over the cars and
mixed across both protocol domains (VCSEC: door_lock / door_unlock; infotainment: honk_horn, flash_lights,
set_charge_limit alternating between two values, so that no car refuses one), `--submitters` requests in flight;
then polled through the API until every one has ended. The simulator's usage counters give the upstream calls,
and its vehicles' `executed_commands` the signed executions: the difference is the handshakes.

(b) Latency: `--latency-samples` commands one at a time (each to the next car, each waited for), timed by the
gateway's own `created_at` and `completed_at`; then the same number of signed commands sent straight to the
simulator from this process with `SignedCommander`, the simulator's own time for a command.

Run: `python bench/commands.py` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from fleetgate.protocol.keys import load_private_key_pem
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.fleet import FleetSession, StaticToken
from fleetgate.tesla.signing.commander import SignedCommander

sys.path.insert(0, str(Path(__file__).parent))
from signing import command_for
from state_reads import (
    HOST,
    Server,
    checked,
    client,
    connect_account,
    cpu_seconds,
    create_api_key,
    free_port,
    gateway_settings,
    register_app,
    start,
)

EMAIL = "fleet-owner@example.com"
ACCESS = ["vehicle_data", "vehicle_commands", "vehicle_charging_commands"]
SCOPES = "openid offline_access vehicle_device_data vehicle_cmds vehicle_charging_cmds"
SIGNED_COMMAND = "POST /vehicles/{vehicle_tag}/signed_command"
TERMINAL = {"succeeded", "failed", "cancelled", "expired"}


async def usage(sim: httpx.AsyncClient, client_id: str) -> Counter[str]:
    return Counter(checked(await sim.get("/sim/usage"))["endpoints"].get(client_id, {}))


async def signed_executions(sim: httpx.AsyncClient, vins: list[str]) -> int:
    total = 0
    for vin in vins:
        executed = checked(await sim.get(f"/sim/vehicles/{vin}"))["executed_commands"]
        total += sum(entry["via"] == "signed" for entry in executed)
    return total


async def submit_all(api: httpx.AsyncClient, jobs: list[tuple[str, str, dict[str, Any]]], submitters: int) -> list[str]:
    ids: list[str] = [""] * len(jobs)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(jobs)):
        queue.put_nowait(index)

    async def submitter() -> None:
        while not queue.empty():
            index = queue.get_nowait()
            device_id, name, params = jobs[index]
            body = {"command": name, "params": params}
            ids[index] = checked(await api.post(f"/v1/devices/{device_id}/commands", json=body), 202)["id"]

    await asyncio.gather(*(submitter() for _ in range(submitters)))
    return ids


async def all_ended(api: httpx.AsyncClient, ids: list[str], patience: float) -> list[dict[str, Any]]:
    """Polls the API's list of commands until every one has ended (or `patience` seconds have passed)."""
    wanted = set(ids)
    deadline = time.monotonic() + patience
    while True:
        found: dict[str, dict[str, Any]] = {}
        cursor = None
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            page = checked(await api.get("/v1/commands", params=params))
            found.update({item["id"]: item for item in page["data"] if item["id"] in wanted})
            cursor = page["next_cursor"]
            if cursor is None:
                break
        if (
            all(found.get(command_id, {}).get("status") in TERMINAL for command_id in ids)
            or time.monotonic() > deadline
        ):
            return [found[command_id] for command_id in ids if command_id in found]
        await asyncio.sleep(1.0)


def seconds_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


async def gateway_latencies(api: httpx.AsyncClient, devices: list[str], samples: int) -> list[float]:
    latencies = []
    for n in range(samples):
        queued = checked(
            await api.post(f"/v1/devices/{devices[n % len(devices)]}/commands", json={"command": "flash_lights"}), 202
        )
        while True:
            done = checked(await api.get(f"/v1/commands/{queued['id']}"))
            if done["status"] in TERMINAL:
                break
            await asyncio.sleep(0.005)
        if done["status"] != "succeeded":
            raise RuntimeError(f"a latency sample ended {done['status']}: {done}")
        latencies.append(seconds_between(done["created_at"], done["completed_at"]))
    return latencies


async def simulator_latencies(
    sim_url: str, sim: httpx.AsyncClient, app: dict[str, Any], account_id: str, vins: list[str], samples: int
) -> list[float]:
    """The same command sent straight to the simulator: signing, the HTTP call, the car's work, the reply."""

    tokens = checked(
        await sim.post("/sim/tokens", json={"client_id": app["client_id"], "account_id": account_id, "scopes": SCOPES})
    )
    commander = SignedCommander(load_private_key_pem(app["private_key_pem"]))
    async with httpx.AsyncClient(timeout=60) as http:
        api = FleetApi(FleetSession(http, TeslaEndpoints.simulator(sim_url), StaticToken(tokens["access_token"]), "na"))
        for vin in vins[: min(samples, len(vins))]:  # the sessions first, as the gateway had them
            await commander.execute(api, vin, "flash_lights", {})
        latencies = []
        for n in range(samples):
            started = time.perf_counter()
            result = await commander.execute(api, vins[n % len(vins)], "flash_lights", {})
            latencies.append(time.perf_counter() - started)
            if not result.signed:
                raise RuntimeError(f"not a signed success: {result}")
    return latencies


async def measure(args: argparse.Namespace) -> None:
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="fleetgate-bench-") as tmp:
        try:
            servers.append(await start("sim", {}, "/status"))
            sim_url = servers[0].url
            async with client(sim_url, connections=16) as sim:
                port = free_port()
                gateway_url = f"http://{HOST}:{port}"
                database_url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
                app = await register_app(sim, gateway_url)
                account = checked(await sim.post("/sim/accounts", json={"email": EMAIL, "region": "na"}))
                from fleetgate.protocol.keys import public_key_pem

                public = public_key_pem(load_private_key_pem(app["private_key_pem"])).decode()
                vins = []
                for _ in range(args.vehicles):
                    vin = checked(await sim.post(f"/sim/accounts/{account['id']}/vehicles", json={}))["vin"]
                    checked(await sim.post(f"/sim/vehicles/{vin}/keys", json={"public_key": public, "role": "owner"}))
                    vins.append(vin)
                headers = {"Authorization": f"Bearer {await create_api_key(database_url)}"}
                # The periodic device sync would add calls of its own to the counts.
                settings = {
                    **gateway_settings(gateway_url, database_url, sim_url, app),
                    "device_sync_interval_seconds": 0,
                }
                servers.append(await start("gateway", settings, "/healthz", port))
                async with client(gateway_url, headers, connections=args.submitters) as api:
                    linked = await connect_account(
                        api, sim, reference_id="fleet-owner", email=EMAIL, access=ACCESS, scopes=SCOPES
                    )
                    devices = {item["vin"]: item["id"] for item in linked}
                    per_car = args.commands // args.vehicles
                    jobs = [(devices[vin], *command_for(n)) for n in range(per_car) for vin in vins]
                    calls_before = await usage(sim, app["client_id"])
                    signed_before = await signed_executions(sim, vins)
                    cpu_before = cpu_seconds(servers[-1].process.pid), cpu_seconds(servers[0].process.pid)
                    ids = await submit_all(api, jobs, args.submitters)
                    ended = await all_ended(api, ids, args.patience)
                    gateway_cpu = cpu_seconds(servers[-1].process.pid) - cpu_before[0]
                    sim_cpu = cpu_seconds(servers[0].process.pid) - cpu_before[1]
                    calls = await usage(sim, app["client_id"]) - calls_before
                    signed = await signed_executions(sim, vins) - signed_before
                    latencies = await gateway_latencies(api, [devices[vin] for vin in vins], args.latency_samples)
                direct = await simulator_latencies(sim_url, sim, app, account["id"], vins, args.latency_samples)
        finally:
            for server in reversed(servers):
                await server.stop()

    statuses = Counter(item["status"] for item in ended)
    handshakes = calls[SIGNED_COMMAND] - signed
    upstream = sum(calls.values()) - handshakes
    print(f"RESULT commands={len(ids)}")
    print(f"RESULT terminal_fraction={sum(statuses[s] for s in TERMINAL) / len(ids):.3f}")
    print(f"RESULT succeeded_fraction={statuses['succeeded'] / len(ids):.3f}")
    print(f"RESULT handshakes_per_vehicle_domain={handshakes / (args.vehicles * 2):.2f}")
    print(f"RESULT upstream_calls_per_command={upstream / len(ids):.3f}")
    # From the first submission to the last end, by the gateway's own clock (the polling's pace does not count).
    elapsed = seconds_between(min(item["created_at"] for item in ended), max(item["completed_at"] for item in ended))
    print(f"RESULT commands_per_second={len(ids) / elapsed:.1f}")
    # What a command costs each server in CPU (user + system), whatever else the machine is doing.
    print(f"RESULT gateway_cpu_ms_per_command={1000 * gateway_cpu / len(ids):.1f}")
    print(f"RESULT simulator_cpu_ms_per_command={1000 * sim_cpu / len(ids):.1f}")
    gateway_p50, gateway_p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    sim_p50, sim_p99 = percentile(direct, 0.5) * 1000, percentile(direct, 0.99) * 1000
    print(f"RESULT gateway_command_latency_p50_ms={gateway_p50:.1f}")
    print(f"RESULT gateway_command_latency_p99_ms={gateway_p99:.1f}")
    print(f"RESULT simulator_command_latency_p50_ms={sim_p50:.1f}")
    print(f"RESULT simulator_command_latency_p99_ms={sim_p99:.1f}")
    print(f"RESULT gateway_added_latency_p50_ms={gateway_p50 - sim_p50:.1f}")
    print(f"RESULT gateway_added_latency_p99_ms={gateway_p99 - sim_p99:.1f}")
    print(f"RESULT mean_gateway_latency_ms={statistics.fmean(latencies) * 1000:.1f}")
    if statuses["succeeded"] != len(ids):
        raise RuntimeError(f"not every command succeeded: {dict(statuses)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", help="the gateway's database (default: SQLite in a temporary directory)")
    parser.add_argument("--commands", type=int, default=1000, help="commands submitted in (a)")
    parser.add_argument("--vehicles", type=int, default=100, help="online, paired cars they are spread over")
    parser.add_argument("--submitters", type=int, default=16, help="submissions in flight at once in (a)")
    parser.add_argument("--latency-samples", type=int, default=100, help="commands timed one at a time in (b)")
    parser.add_argument("--patience", type=float, default=600, help="seconds to wait for every command to end")
    args = parser.parse_args()
    asyncio.run(measure(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
