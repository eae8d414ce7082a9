"""Scale: 10,000 simulated vehicles over 1,000 Tesla accounts, two API processes and two workers on PostgreSQL.

Real processes and sockets, as in `chaos.py`. The simulator holds every car; the gateway's processes share a
database the run creates (and drops). In two steps, first a tenth of the fleet, then the rest, the accounts are
linked through the hosted connect flow (each with its discovery), and every car's state is read once at 5-minute
freshness (`max_age=300`), so that each car has its stored reading; after each step the resident memory of the four
gateway processes is measured. Then:

- the periodic device sync (`FLEETGATE_DEVICE_SYNC_INTERVAL_SECONDS`) passes over every connection once;
- cached reads: `--reads` reads of random cars that have a fresh reading, `--concurrency` in flight;
- the same while Tesla takes 5 s to answer `vehicle_data` and 50 live reads of other cars wait on it;
- a steady mix over simulated time: reads of random cars while the simulated clock moves on a minute every few
  seconds (cars fall asleep and charge as they would); the gateway ages readings by its own clock, so the mix asks
  for `--mix-max-age` seconds of freshness (5 minutes compressed) and readings older than that are read again;
- commands: `--commands` `flash_lights` to as many cars, submitted with 16 in flight, run by the workers.

Run: `python bench/scale.py` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from chaos import (
    ACCESS,
    SCOPES,
    TERMINAL,
    Process,
    create_database,
    drop_database,
    gateway_env,
    until_ready,
    with_database,
)
from state_reads import HOST, checked, client, connect_account, create_api_key, free_port, register_app, start

SYNC_INTERVAL_SECONDS = 30


def rss_mb(processes: list[Process]) -> float:
    total = 0
    for process in processes:
        assert process.popen is not None
        for line in Path(f"/proc/{process.popen.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def bounded(concurrency: int, jobs: list[Any]) -> list[Any]:
    gate = asyncio.Semaphore(concurrency)

    async def one(job: Any) -> Any:
        async with gate:
            return await job

    return await asyncio.gather(*(one(job) for job in jobs))


async def usage(sim: httpx.AsyncClient, client_id: str) -> dict[str, Any]:
    found: dict[str, Any] = checked(await sim.get("/sim/usage"))
    return {
        "totals": found["clients"].get(client_id, {}).get("totals", {}),
        "endpoints": found["endpoints"].get(client_id, {}),
    }


class Fleet:
    def __init__(self, sim: httpx.AsyncClient, api: httpx.AsyncClient, public_key: str) -> None:
        self.sim = sim
        self.api = api
        self.public_key = public_key
        self.devices: list[str] = []
        self.vins: dict[str, str] = {}
        self.accounts = 0
        self.statuses: dict[int, int] = {}

    async def add_accounts(self, accounts: int, per_account: int, concurrency: int) -> None:
        async def one(number: int) -> None:
            email = f"owner-{number}@scale.example.com"
            account = checked(await self.sim.post("/sim/accounts", json={"email": email, "region": "na"}), 201)
            for _ in range(per_account):
                car = checked(await self.sim.post(f"/sim/accounts/{account['id']}/vehicles", json={}), 201)
                checked(
                    await self.sim.post(
                        f"/sim/vehicles/{car['vin']}/keys", json={"public_key": self.public_key, "role": "owner"}
                    ),
                    201,
                )
            devices = await connect_account(
                self.api, self.sim, reference_id=f"user-{number}", email=email, access=ACCESS, scopes=SCOPES
            )
            for device in devices:
                self.devices.append(device["id"])
                self.vins[device["id"]] = device["vin"]

        first = self.accounts
        self.accounts += accounts
        await bounded(concurrency, [one(number) for number in range(first, self.accounts)])

    async def read(self, device_id: str, max_age: int, *, must_answer: bool = True) -> float:
        started = time.perf_counter()
        response = await self.api.get(f"/v1/devices/{device_id}/state", params={"max_age": max_age})
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if must_answer:
            checked(response)
        return (time.perf_counter() - started) * 1000


async def scale(args: argparse.Namespace, workdir: Path) -> None:
    from fleetgate.protocol.keys import load_private_key_pem, public_key_pem

    database = create_database(args.postgres_url)
    processes: list[Process] = []
    sim_server = await start("sim", {}, "/status")
    try:
        database_url = with_database(args.postgres_url, database, "postgresql+psycopg")
        ports = [free_port(), free_port()]
        public_url = f"http://{HOST}:{ports[0]}"
        async with client(sim_server.url, connections=128) as sim:
            app = await register_app(sim, public_url)
            api_key = await create_api_key(database_url)
            env = gateway_env(
                {
                    "mode": "prod",
                    "public_url": public_url,
                    "database_url": database_url,
                    "encryption_key": base64.b64encode(secrets.token_bytes(32)).decode(),
                    "tesla": sim_server.url,
                    "client_id": app["client_id"],
                    "client_secret": app["client_secret"],
                    "domain": "bench.fleetgate.test",
                    "private_key_pem": app["private_key_pem"],
                    "command_executor": "worker",
                    "device_sync_interval_seconds": SYNC_INTERVAL_SECONDS,
                    "webhook_poll_interval_seconds": 0,
                }
            )
            python = [sys.executable, "-m", "fleetgate"]
            for n, port in enumerate(ports):
                command = [*python, "serve", "--host", HOST, "--port", str(port)]
                processes.append(Process(f"api-{n + 1}", command, env, workdir / f"api-{n + 1}.log", port))
            for n in range(2):
                processes.append(Process(f"worker-{n + 1}", [*python, "worker"], env, workdir / f"worker-{n + 1}.log"))
            for process in processes:
                process.start()
            for process in processes[:2]:
                await until_ready(process)
            public_key = public_key_pem(load_private_key_pem(app["private_key_pem"].encode())).decode()
            headers = {"Authorization": f"Bearer {api_key}"}
            # Both API processes serve the requests, as behind a load balancer.
            async with client(processes[0].url, headers, 64) as first, client(processes[1].url, headers, 64) as second:
                fleet = Fleet(sim, first, public_key)
                spread = Fleet(sim, second, public_key)
                per_account = args.vehicles // args.accounts
                rss: dict[int, float] = {}
                started = time.monotonic()
                for accounts in (args.accounts // 10, args.accounts - args.accounts // 10):
                    await fleet.add_accounts(accounts, per_account, args.concurrency)
                    spread.devices = fleet.devices
                    await bounded(
                        args.concurrency,
                        [(fleet if n % 2 else spread).read(d, 300) for n, d in enumerate(fleet.devices)],
                    )
                    rss[len(fleet.devices)] = rss_mb(processes)
                    print(f"linked and read {len(fleet.devices)} vehicles in {time.monotonic() - started:.0f} s")
                vehicles = len(fleet.devices)

                lists_before = (await usage(sim, app["client_id"]))["endpoints"].get("GET /products", 0)
                sync_started = time.monotonic()
                while True:
                    lists = (await usage(sim, app["client_id"]))["endpoints"].get("GET /products", 0)
                    if lists - lists_before >= fleet.accounts:
                        break
                    if time.monotonic() - sync_started > 600:
                        raise RuntimeError(f"the periodic sync listed {lists - lists_before} accounts in 600 s")
                    await asyncio.sleep(1)
                sync_seconds = time.monotonic() - sync_started

                rng = random.Random(7)
                cached = await bounded(
                    args.concurrency,
                    [(fleet if n % 2 else spread).read(rng.choice(fleet.devices), 86_400) for n in range(args.reads)],
                )

                slow = {"path": "/vehicle_data", "latency_ms": 5000}
                checked(await sim.post("/sim/faults", json=slow), 201)
                others = rng.sample(fleet.devices, 50)
                live = [asyncio.create_task(spread.read(device, 0)) for device in others]
                await asyncio.sleep(0.5)  # the live reads are at Tesla
                readable = [device for device in fleet.devices if device not in set(others)]
                while_slow = await bounded(
                    args.concurrency,
                    [fleet.read(rng.choice(readable), 86_400) for _ in range(min(args.reads, 1000))],
                )
                live_ms = await asyncio.gather(*live)
                checked(await sim.delete("/sim/faults"))

                before_mix = await usage(sim, app["client_id"])
                mix_reads = 0
                mix_started = time.monotonic()
                while time.monotonic() - mix_started < args.mix_seconds:
                    checked(await sim.post("/sim/clock", json={"advance_seconds": 60}))
                    # A car asleep after the clock moved answers from what was stored, or says it is asleep.
                    batch = [
                        fleet.read(rng.choice(fleet.devices), args.mix_max_age, must_answer=False) for _ in range(200)
                    ]
                    await bounded(args.concurrency, batch)
                    mix_reads += len(batch)
                after_mix = await usage(sim, app["client_id"])

                targets = rng.sample(fleet.devices, min(args.commands, vehicles))
                before_commands = await usage(sim, app["client_id"])

                async def submit(device: str) -> str:
                    body = {"command": "flash_lights", "params": {}}
                    return str(checked(await fleet.api.post(f"/v1/devices/{device}/commands", json=body), 202)["id"])

                ids = await bounded(16, [submit(device) for device in targets])
                ended: list[dict[str, Any]] = []
                for command_id in ids:
                    while True:
                        found = checked(await fleet.api.get(f"/v1/commands/{command_id}"))
                        if found["status"] in TERMINAL:
                            ended.append(found)
                            break
                        await asyncio.sleep(0.2)
                after_commands = await usage(sim, app["client_id"])
                first_at = min(datetime.fromisoformat(item["created_at"]) for item in ended)
                last_at = max(datetime.fromisoformat(item["completed_at"]) for item in ended)
                succeeded = sum(item["status"] == "succeeded" for item in ended)
        small, large = min(rss), max(rss)
        print(f"RESULT vehicles={vehicles}")
        print(f"RESULT accounts={fleet.accounts}")
        print(f"RESULT gateway_rss_mb_at_{small}_vehicles={rss[small]:.0f}")
        print(f"RESULT gateway_rss_mb_at_{large}_vehicles={rss[large]:.0f}")
        print(f"RESULT gateway_rss_mb_per_1000_vehicles_at_{small}={rss[small] / small * 1000:.1f}")
        print(f"RESULT gateway_rss_mb_per_1000_vehicles_at_{large}={rss[large] / large * 1000:.1f}")
        added = (rss[large] - rss[small]) / (large - small) * 1000
        print(f"RESULT gateway_rss_mb_added_per_1000_vehicles={added:.1f}")
        print(f"RESULT periodic_sync_seconds_for_all_accounts={sync_seconds:.0f}")
        print(f"RESULT p50_cached_read_ms={statistics.median(cached):.1f}")
        print(f"RESULT p99_cached_read_ms={percentile(cached, 0.99):.1f}")
        print(f"RESULT p99_cached_read_ms_while_tesla_slow={percentile(while_slow, 0.99):.1f}")
        print(f"RESULT slow_live_reads_p50_ms={statistics.median(live_ms):.0f}")
        data_calls = after_mix["totals"].get("data", 0) - before_mix["totals"].get("data", 0)
        print(f"RESULT mix_reads={mix_reads} mix_max_age_seconds={args.mix_max_age}")
        print(f"mix answers by status: {fleet.statuses}")
        print(f"RESULT mix_upstream_data_calls_per_read={data_calls / max(mix_reads, 1):.3f}")
        print(f"RESULT commands={len(ended)} succeeded={succeeded}")
        print(f"RESULT worker_commands_per_second={len(ended) / (last_at - first_at).total_seconds():.1f}")
        calls = after_commands["totals"].get("commands", 0) - before_commands["totals"].get("commands", 0)
        print(f"RESULT upstream_calls_per_command={calls / len(ended):.2f}")
        if succeeded != len(ended):
            raise RuntimeError("not every command succeeded")
    finally:
        for process in processes:
            process.stop()
        await sim_server.stop()
        drop_database(args.postgres_url, database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vehicles", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight while linking and reading")
    parser.add_argument("--reads", type=int, default=3_000, help="cached reads measured")
    parser.add_argument("--mix-seconds", type=float, default=30, help="wall time of the steady mix")
    parser.add_argument(
        "--mix-max-age",
        type=int,
        default=10,
        help="freshness asked in the mix: the gateway ages readings by its own clock, so 5 minutes is compressed",
    )
    parser.add_argument("--commands", type=int, default=1_000)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("FLEETGATE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the run may create (and then drops) a database of its own",
    )
    parser.add_argument("--logs", type=Path, help="keep the processes' logs in this directory")
    args = parser.parse_args()
    if args.logs is not None:
        args.logs.mkdir(parents=True, exist_ok=True)
        asyncio.run(scale(args, args.logs))
    else:
        with tempfile.TemporaryDirectory(prefix="fleetgate-scale-") as directory:
            asyncio.run(scale(args, Path(directory)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
