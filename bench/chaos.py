"""Chaos: fleetgate as it runs in production (two API processes and two workers on PostgreSQL) under randomised fault
schedules, checked against what the simulated cars actually executed.

Everything crosses real sockets and real processes: the Tesla simulator in a uvicorn process of its own, two
`fleetgate serve` and two `fleetgate worker` processes (`FLEETGATE_COMMAND_EXECUTOR=worker`) sharing a database
created for the run and dropped after it. One account with `--cars` cars, each paired with the app's key, is
linked through the hosted connect flow.

A schedule, drawn from `--seed` and its number: three cars, five commands each submitted in order through a random
API process (`set_charge_limit` to three values the car does not have, with `honk_horn` and `flash_lights` between
them, so that every execution names its command), and one to four faults at random moments while they run:

- `kill -9` of an API process or a worker, restarted a moment later (a submission that meets a dead process is
  sent again with its Idempotency-Key to the other one, as a client would);
- Tesla answering 500, 502 or 503, a 429 with `Retry-After`, a 421 to another region, an answer slower than the
  gateway waits (`FLEETGATE_TESLA_TIMEOUT_SECONDS`), an answer lost after the car acted, a slow answer;
- the simulated clock jumping ahead (past the cars' sleep, sometimes: they must be woken);
- `pg_terminate_backend` of every connection the gateway holds to its database (that database only).

`--concurrency` schedules run at once, each on cars of its own. When every command of a schedule has ended, its
cars' executions are compared with what was submitted:

- `lost`: a command that did not end within `--patience`, or ended `succeeded` though its car never executed it,
  or ended failed (other than `outcome_unknown`) though its car executed it;
- `doubled`: a non-idempotent command executed more than once;
- `out_of_order`: a car whose executions, repeats of an idempotent command in a row folded, are not in submission
  order;
- `ledger_mismatch` (at the end): calls the simulator billed that the gateway's usage ledger does not count.

Run: `python bench/chaos.py` (see bench/README.md). It exits non-zero unless all four are 0.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).parent))
from state_reads import HOST, checked, client, connect_account, create_api_key, free_port, register_app, start

ACCESS = ["vehicle_data", "vehicle_commands", "vehicle_charging_commands"]
SCOPES = "openid offline_access vehicle_device_data vehicle_cmds vehicle_charging_cmds"
EMAIL = "chaos-owner@example.com"
NON_IDEMPOTENT = ("honk_horn", "flash_lights")
TERMINAL = {"succeeded", "failed", "cancelled", "expired"}
TESLA_TIMEOUT_SECONDS = 2.0
LEASE_SECONDS = 2.0
CHAOS_APPLICATION = "fleetgate-chaos"
FAULTS = (
    "kill_api",
    "kill_worker",
    "tesla_5xx",
    "rate_limited",
    "wrong_region",
    "timeout",
    "lost_answer",
    "latency",
    "clock_jump",
    "database_dropped",
)


# -- the processes -----------------------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    port: int | None = None
    popen: subprocess.Popen[bytes] | None = None
    busy: asyncio.Lock = field(default_factory=asyncio.Lock)
    kills: int = 0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT, env=self.env)

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
            self.kills += 1

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


async def until_ready(process: Process, deadline_seconds: float = 60.0) -> None:
    deadline = time.monotonic() + deadline_seconds
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            if not process.alive():
                raise RuntimeError(f"{process.name} exited; see {process.log}")
            try:
                if (await http.get(f"{process.url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{process.name} did not start; see {process.log}")


def gateway_env(settings: dict[str, Any]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLEETGATE_")}
    env.update({f"FLEETGATE_{key.upper()}": str(value) for key, value in settings.items()})
    return env


# -- the database of the run -------------------------------------------------------------------------------------


def with_database(url: str, name: str, driver: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((driver, parts.netloc, f"/{name}", parts.query, parts.fragment))


def create_database(admin_url: str) -> str:
    name = f"fg_chaos_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(
        with_database(admin_url, urlsplit(admin_url).path.lstrip("/"), "postgresql"), autocommit=True
    ) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(
        with_database(admin_url, urlsplit(admin_url).path.lstrip("/"), "postgresql"), autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def drop_gateway_connections(conninfo: str) -> int:
    """Every connection to the run's own database but this one: the gateway's pools and its wake-up listeners."""
    async with await psycopg.AsyncConnection.connect(
        conninfo, autocommit=True, application_name=CHAOS_APPLICATION
    ) as connection:
        cursor = await connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name <> %s",
            (CHAOS_APPLICATION,),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


# -- a schedule --------------------------------------------------------------------------------------------------


@dataclass
class Car:
    vin: str
    device_id: str
    limit: int


@dataclass
class Submitted:
    car: Car
    name: str
    params: dict[str, Any]
    key: str
    command_id: str | None = None
    status: str | None = None
    reason: str | None = None

    @property
    def signature(self) -> tuple[str, int | None]:
        return self.name, self.params.get("percent")


@dataclass
class Tally:
    schedules: int = 0
    commands: int = 0
    lost: int = 0
    doubled: int = 0
    out_of_order: int = 0
    ledger_mismatch: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


@dataclass
class Chaos:
    sim: httpx.AsyncClient
    sim_url: str
    apis: list[Process]
    workers: list[Process]
    api_key: str
    conninfo: str
    patience: float
    tally: Tally = field(default_factory=Tally)

    def api(self, rng: random.Random) -> httpx.AsyncClient:
        live = [process for process in self.apis if process.alive()] or self.apis
        return client(rng.choice(live).url, {"Authorization": f"Bearer {self.api_key}"})

    async def executed(self, vin: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = checked(await self.sim.get(f"/sim/vehicles/{vin}"))["executed_commands"]
        return entries

    async def run(self, number: int, seed: int, cars: list[Car]) -> None:
        rng = random.Random(f"{seed}:{number}")
        plan: list[list[Submitted]] = []
        for car in cars:
            limits = rng.sample([p for p in range(50, 101) if p != car.limit], 3)
            names = ["set_charge_limit", "honk_horn", "set_charge_limit", "flash_lights", "set_charge_limit"]
            values = iter(limits)
            plan.append(
                [
                    Submitted(
                        car, name, {"percent": next(values)} if name == "set_charge_limit" else {}, uuid.uuid4().hex
                    )
                    for name in names
                ]
            )
        before = {car.vin: len(await self.executed(car.vin)) for car in cars}
        faults = [(rng.uniform(0.0, 1.5), rng.choice(FAULTS)) for _ in range(rng.randint(1, 4))]
        fault_tasks = [asyncio.create_task(self.fault(kind, at, rng, cars)) for at, kind in faults]
        await asyncio.gather(*(self.submit_in_order(commands, rng) for commands in plan))
        await asyncio.gather(*fault_tasks)
        await asyncio.gather(*(self.until_ended(item, rng) for commands in plan for item in commands))
        for car, commands in zip(cars, plan, strict=True):
            executed = (await self.executed(car.vin))[before[car.vin] :]
            self.check(number, car, commands, executed)
            last_limit = [entry["params"]["percent"] for entry in executed if entry["name"] == "set_charge_limit"]
            if last_limit:
                car.limit = last_limit[-1]
        self.tally.schedules += 1

    async def submit_in_order(self, commands: list[Submitted], rng: random.Random) -> None:
        for item in commands:
            await self.submit(item, rng)

    async def submit(self, item: Submitted, rng: random.Random) -> None:
        deadline = time.monotonic() + self.patience
        body = {"command": item.name, "params": item.params}
        while time.monotonic() < deadline:
            try:
                async with self.api(rng) as api:
                    response = await api.post(
                        f"/v1/devices/{item.car.device_id}/commands", json=body, headers={"Idempotency-Key": item.key}
                    )
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code in (200, 202):
                item.command_id = response.json()["id"]
                return
            if response is not None and response.status_code < 500:
                raise RuntimeError(f"{item.name} was refused: {response.status_code} {response.text}")
            await asyncio.sleep(0.2)  # that process is down or its database connection was dropped: again
        raise RuntimeError(f"{item.name} to {item.car.vin} could not be submitted in {self.patience} s")

    async def until_ended(self, item: Submitted, rng: random.Random) -> None:
        deadline = time.monotonic() + self.patience
        while time.monotonic() < deadline:
            try:
                async with self.api(rng) as api:
                    response = await api.get(f"/v1/commands/{item.command_id}")
                if response.status_code == 200:
                    found = response.json()
                    if found["status"] in TERMINAL:
                        item.status, item.reason = found["status"], found["reason"]
                        return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.25)

    def check(self, number: int, car: Car, commands: list[Submitted], executed: list[dict[str, Any]]) -> None:
        tally = self.tally
        signatures = [(entry["name"], entry["params"].get("percent")) for entry in executed]
        counts = Counter(signatures)
        for item in commands:
            tally.commands += 1
            tally.statuses[f"{item.status}:{item.reason}" if item.status == "failed" else str(item.status)] += 1
            ran = counts[item.signature]
            if item.status is None:
                tally.lost += 1
                tally.problems.append(f"schedule {number}: {item.name} to {car.vin} never ended")
            elif item.status == "succeeded" and ran == 0:
                tally.lost += 1
                tally.problems.append(f"schedule {number}: {item.name} to {car.vin} succeeded, never executed")
            elif item.status == "failed" and item.reason != "outcome_unknown" and ran > 0:
                tally.lost += 1
                tally.problems.append(f"schedule {number}: {item.name} to {car.vin} failed ({item.reason}), executed")
            if item.name in NON_IDEMPOTENT and ran > 1:
                tally.doubled += 1
                tally.problems.append(f"schedule {number}: {item.name} to {car.vin} executed {ran} times")
        submitted = [item.signature for item in commands]
        folded = [signature for signature, _ in itertools.groupby(signatures)]
        if folded != [signature for signature in submitted if signature in counts]:
            tally.out_of_order += 1
            tally.problems.append(f"schedule {number}: {car.vin} executed {folded}, submitted {submitted}")

    # -- faults --------------------------------------------------------------------------------------------------

    async def fault(self, kind: str, at: float, rng: random.Random, cars: list[Car]) -> None:
        await asyncio.sleep(at)
        vin = rng.choice(cars).vin
        signed = {"path": "/signed_command", "vin": vin, "count": 1}
        self.tally.faults[kind] += 1
        if kind in ("kill_api", "kill_worker"):
            await self.kill_and_restart(rng.choice(self.apis if kind == "kill_api" else self.workers), rng)
        elif kind == "tesla_5xx":
            await self.inject(
                {**signed, "status": rng.choice([500, 502, 503]), "body": {"error": "upstream internal error"}}
            )
        elif kind == "rate_limited":
            body = {"error": "Too Many Requests"}
            await self.inject({**signed, "status": 429, "headers": {"Retry-After": "1"}, "body": body})
        elif kind == "wrong_region":
            moved = f"user out of region, use base URL: {self.sim_url}/eu, see https://developer.tesla.com"
            await self.inject({**signed, "status": 421, "body": {"error": moved}})
        elif kind == "timeout":
            await self.inject({**signed, "latency_ms": int(TESLA_TIMEOUT_SECONDS * 1000) + 500})
        elif kind == "lost_answer":
            await self.inject({**signed, "lose_answer": True})
        elif kind == "latency":
            await self.inject({**signed, "latency_ms": rng.randint(200, 1200), "count": 2})
        elif kind == "clock_jump":
            # Past the cars' 15 minutes of idle now and then: every car falls asleep and must be woken.
            seconds = rng.choice([30, 120, 300, 600, 1000])
            checked(await self.sim.post("/sim/clock", json={"advance_seconds": seconds}))
        elif kind == "database_dropped":
            await drop_gateway_connections(self.conninfo)

    async def inject(self, fault: dict[str, Any]) -> None:
        checked(await self.sim.post("/sim/faults", json=fault), 201)

    async def kill_and_restart(self, process: Process, rng: random.Random) -> None:
        if process.busy.locked():
            return  # already down and coming back
        async with process.busy:
            process.kill()
            await asyncio.sleep(rng.uniform(0.0, 1.0))
            process.start()
            if process.port is not None:
                await until_ready(process)


# -- the run -----------------------------------------------------------------------------------------------------


async def add_cars(sim: httpx.AsyncClient, count: int, public_key_pem: str) -> None:
    account = checked(await sim.post("/sim/accounts", json={"email": EMAIL, "region": "na"}), 201)
    for _ in range(count):
        vin = checked(await sim.post(f"/sim/accounts/{account['id']}/vehicles", json={"charge_limit_soc": 80}), 201)[
            "vin"
        ]
        checked(await sim.post(f"/sim/vehicles/{vin}/keys", json={"public_key": public_key_pem, "role": "owner"}), 201)


async def ledger_mismatch(sim: httpx.AsyncClient, api: httpx.AsyncClient, client_id: str) -> tuple[int, int]:
    """(billed calls the ledger lacks, ledger calls the simulator did not bill), over Tesla's categories."""
    billed = checked(await sim.get("/sim/usage"))["clients"].get(client_id, {}).get("totals", {})
    ledger = checked(await api.get("/v1/usage"))["totals"]
    missing = sum(max(0, billed.get(name, 0) - count) for name, count in ledger.items())
    extra = sum(max(0, count - billed.get(name, 0)) for name, count in ledger.items())
    return missing, extra


async def chaos(args: argparse.Namespace, workdir: Path) -> Tally:
    from fleetgate.protocol.keys import load_private_key_pem, public_key_pem

    database = create_database(args.postgres_url)
    database_url = with_database(args.postgres_url, database, "postgresql+psycopg")
    apis: list[Process] = []
    workers: list[Process] = []
    sim_server = await start("sim", {}, "/status")
    try:
        api_ports = [free_port() for _ in range(args.api_processes)]
        public_url = f"http://{HOST}:{api_ports[0]}"
        async with client(sim_server.url) as sim:
            app = await register_app(sim, public_url)
            api_key = await create_api_key(database_url)
            settings = {
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
                "command_lease_seconds": LEASE_SECONDS,
                "command_poll_seconds": 0.5,
                "tesla_timeout_seconds": TESLA_TIMEOUT_SECONDS,
                "device_sync_interval_seconds": 0,
                "webhook_poll_interval_seconds": 0,
                # Four processes on one PostgreSQL server that may be serving other work (a test suite, say).
                "database_pool_size": 5,
                "database_max_overflow": 5,
            }
            env = gateway_env(settings)
            python = [sys.executable, "-m", "fleetgate"]
            for n, port in enumerate(api_ports):
                command = [*python, "serve", "--host", HOST, "--port", str(port)]
                apis.append(Process(f"api-{n + 1}", command, env, workdir / f"api-{n + 1}.log", port))
            for n in range(args.workers):
                workers.append(Process(f"worker-{n + 1}", [*python, "worker"], env, workdir / f"worker-{n + 1}.log"))
            for process in [*apis, *workers]:
                process.start()
            for process in apis:
                await until_ready(process)

            public_key = public_key_pem(load_private_key_pem(app["private_key_pem"].encode())).decode()
            await add_cars(sim, args.cars, public_key)
            async with client(public_url, {"Authorization": f"Bearer {api_key}"}) as api:
                devices = await connect_account(
                    api, sim, reference_id="chaos", email=EMAIL, access=ACCESS, scopes=SCOPES
                )
            pool: asyncio.Queue[Car] = asyncio.Queue()
            for device in devices:
                pool.put_nowait(Car(device["vin"], device["id"], 80))

            run = Chaos(
                sim,
                sim_server.url,
                apis,
                workers,
                api_key,
                with_database(args.postgres_url, database, "postgresql"),
                args.patience,
            )
            numbers = iter(range(args.schedules))
            started = time.monotonic()

            async def lane() -> None:
                for number in numbers:
                    cars = [await pool.get() for _ in range(3)]
                    try:
                        await run.run(number, args.seed, cars)
                    finally:
                        for car in cars:
                            pool.put_nowait(car)

            await asyncio.gather(*(lane() for _ in range(args.concurrency)))
            elapsed = time.monotonic() - started
            for process in apis:
                if not process.alive():
                    process.start()
                await until_ready(process)
            async with client(public_url, {"Authorization": f"Bearer {api_key}"}) as api:
                missing, extra = await ledger_mismatch(sim, api, app["client_id"])
        tally = run.tally
        tally.ledger_mismatch = missing
        print(f"RESULT schedules={tally.schedules}")
        print(f"RESULT commands={tally.commands}")
        print(f"RESULT lost={tally.lost}")
        print(f"RESULT doubled={tally.doubled}")
        print(f"RESULT out_of_order={tally.out_of_order}")
        print(f"RESULT ledger_mismatch={missing}")
        print(f"RESULT ledger_overcount={extra}")
        print(f"RESULT seconds={elapsed:.0f}")
        print(f"RESULT kills={sum(process.kills for process in [*apis, *workers])}")
        print("faults: " + ", ".join(f"{name} {count}" for name, count in sorted(tally.faults.items())))
        print("outcomes: " + ", ".join(f"{name} {count}" for name, count in tally.statuses.most_common()))
        for problem in tally.problems[:20]:
            print(f"PROBLEM {problem}")
        return tally
    finally:
        for process in [*apis, *workers]:
            process.stop()
        await sim_server.stop()
        drop_database(args.postgres_url, database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schedules", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8, help="schedules running at once")
    parser.add_argument("--cars", type=int, default=60, help="cars of the account the schedules take theirs from")
    parser.add_argument("--api-processes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--patience", type=float, default=180, help="seconds a command may take to end")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("FLEETGATE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the run may create (and then drops) a database of its own",
    )
    parser.add_argument("--logs", type=Path, help="keep the processes' logs in this directory")
    args = parser.parse_args()
    if args.logs is not None:
        args.logs.mkdir(parents=True, exist_ok=True)
        tally = asyncio.run(chaos(args, args.logs))
    else:
        with tempfile.TemporaryDirectory(prefix="fleetgate-chaos-") as directory:
            tally = asyncio.run(chaos(args, Path(directory)))
    return 1 if tally.lost or tally.doubled or tally.out_of_order or tally.ledger_mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
