"""Fleet Telemetry: what one receiver process takes, whether a receiver killed mid-stream loses or doubles a record,
and what streaming costs a vehicle-month beside polling.

Real processes on loopback ports: the Tesla simulator (`telemetry_sim.py`: the simulator with its streaming cars
paced by this script), the gateway (`fleetgate serve`) and ONE receiver (`fleetgate telemetry`), on a PostgreSQL
database created for the run and dropped after it (or SQLite with `--sqlite`). Cars are linked through the gateway's
hosted connect flow and configured through `PUT /v1/devices/{id}/telemetry`, so the configs are the gateway's,
signed with the app's key (Tesla.SS256) and pinned to the receiver's CA; every car streams over its own mutual-TLS
WebSocket from the simulator's process.

(a) Cost, over one simulated day moved on a minute at a time (`--cost-cars` streaming, as many polled): a typical
day (below) played on both groups alike. The streaming cars send a typical field set at 5-minute freshness; the
polled cars are read through the gateway (`GET /v1/devices/{id}/state?max_age=0`, never `wake=true`) every 5
minutes. The simulator's billing counters give the signals, data requests and wakes, scaled to 30 days.

(b) Throughput: `--cars` charging cars stream two fields that change every second, each car a record every
`--interval` seconds, in real time. The receiver's records a second at that offered load are counted from the
database (`telemetry_records`) and from the acks the cars got, over `--seconds` once every car is connected, with the
CPU time of the receiver and of the simulator's process (the cars), and of the whole machine. Then its capacity:
the receiver is stopped (SIGSTOP) for `--paused-seconds` while the cars stream on into their sockets, and let go;
the records a second it stores while working off that backlog are `records_per_second`.

(c) Loss: the receiver is killed with SIGKILL mid-stream and started again; the cars reconnect and send again what
was not acked (`delivery_policy: latest`). Then the cars stop charging (nothing new to send) and send again what
they hold until every record is acked (the clock is moved past their 60 s resend delay when no ack comes for a
while), or `--drain-patience` is spent; each car's records made are compared with the rows stored for it.

Run: `python bench/telemetry.py` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import signal
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg

from fleetgate.jobs.telemetry_checks import SYNCED_EVERY
from fleetgate.protocol.keys import load_private_key_pem, public_key_pem
from fleetgate.protocol.telemetry.certificates import CertificateAuthority
from fleetgate.simulator.telemetry.streamer import RESEND_AFTER_SECONDS

sys.path.insert(0, str(Path(__file__).parent))
from chaos import Process, gateway_env, until_ready, with_database
from state_reads import HOST, checked, client, connect_account, cpu_seconds, create_api_key, free_port, register_app

ACCESS = ["vehicle_data", "vehicle_location"]
SCOPES = "openid offline_access vehicle_device_data vehicle_location"
SIGNALS_PER_USD = 150_000
DATA_REQUESTS_PER_USD = 500
WAKES_PER_USD = 50
DAYS_A_MONTH = 30
# A check of a car's config reads it and its errors at Tesla.
DATA_REQUESTS_PER_CHECK = 2
FRESHNESS_SECONDS = 300
# What an app typically shows of a car: charge, range, climate, locks, odometer, where it is.
TYPICAL_FIELDS = [
    "battery_level_pct",
    "battery_range_km",
    "charging_state",
    "charge_limit_pct",
    "minutes_to_full_charge",
    "locked",
    "climate_on",
    "inside_temp_c",
    "outside_temp_c",
    "odometer_km",
    "location",
]
# Two fields that move every second while a car charges at 7.7 kW: a record a car every `--interval` seconds.
LOAD_FIELDS = ("battery_level_pct", "battery_range_mi")
CHARGING = {"battery_level": 60, "plugged_in": True, "charging": True, "charge_limit_soc": 80}
DAY_MINUTES = 24 * 60
# (c): seconds without an ack before the clock is moved so that the cars send what they hold again.
STALL_SECONDS = 10
BACKLOG_PATIENCE_SECONDS = 300
# (c): the receiver is killed once the cars hold this many records it has not acked (or after the patience).
IN_FLIGHT_AT_KILL = 50
KILL_PATIENCE_SECONDS = 30
# A poll of each polled car at most once a second of real time: under the 60 a minute the gateway allows a car.
POLL_SPACING_SECONDS = 1.02
# The typical day, in minutes after midnight: charging from 60 % to 80 % from midnight (about 2 hours at 7.7 kW),
# then 30 minutes of preconditioning and a 30-minute drive in the morning and in the evening.
MORNING, EVENING = 7 * 60 + 30, 17 * 60 + 30
PRECONDITION_MINUTES, DRIVE_MINUTES = 30, 30


# -- the processes ---------------------------------------------------------------------------------------------------


async def until_listening(process: Process, port: int, patience: float = 60.0) -> None:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited; see {process.log}")
        try:
            _, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise RuntimeError(f"{process.name} did not listen on {port}; see {process.log}")


async def until_simulator(process: Process, patience: float = 60.0) -> None:
    deadline = time.monotonic() + patience
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            if not process.alive():
                raise RuntimeError(f"{process.name} exited; see {process.log}")
            try:
                if (await http.get(f"{process.url}/status")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{process.name} did not start; see {process.log}")


def receiver_files(directory: Path) -> dict[str, Path]:
    """The receiver's certificate for the loopback address, and the CA chain that configs make cars pin."""
    authority = CertificateAuthority.create("Bench receiver CA")
    cert, key = authority.issue_server([HOST])
    files = {"cert": directory / "receiver.pem", "key": directory / "receiver-key.pem", "ca": directory / "ca.pem"}
    files["cert"].write_bytes(cert)
    files["key"].write_bytes(key)
    files["ca"].write_bytes(authority.cert_pem)
    return files


# -- the database --------------------------------------------------------------------------------------------------


class Database:
    """The run's database, read directly for what the receiver stored."""

    def __init__(self, postgres_url: str | None, directory: Path) -> None:
        self.postgres_url = postgres_url
        self.name = f"fg_telemetry_{uuid.uuid4().hex[:10]}"
        self.sqlite_path = directory / "bench.db"

    @property
    def url(self) -> str:
        if self.postgres_url is None:
            return f"sqlite+aiosqlite:///{self.sqlite_path}"
        return with_database(self.postgres_url, self.name, "postgresql+psycopg")

    def _admin(self) -> psycopg.Connection[Any]:
        assert self.postgres_url is not None
        admin = urlsplit(self.postgres_url).path.lstrip("/") or "postgres"
        return psycopg.connect(with_database(self.postgres_url, admin, "postgresql"), autocommit=True)

    def create(self) -> None:
        if self.postgres_url is not None:
            with self._admin() as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.postgres_url is not None:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.postgres_url is None:
            with sqlite3.connect(self.sqlite_path, timeout=30) as connection:
                return connection.execute(sql).fetchall()
        with psycopg.connect(with_database(self.postgres_url, self.name, "postgresql")) as connection:
            return connection.execute(sql).fetchall()

    def stored(self) -> int:
        return int(self.query("SELECT count(*) FROM telemetry_records WHERE topic = 'V'")[0][0])

    def stored_by_vin(self) -> dict[str, int]:
        rows = self.query(
            "SELECT d.external_id, count(*) FROM telemetry_records r JOIN devices d ON d.id = r.device_id "
            "WHERE r.topic = 'V' GROUP BY d.external_id"
        )
        return {vin: int(count) for vin, count in rows}


# -- the simulator's side ------------------------------------------------------------------------------------------


async def gathered(work: list[Callable[[], Awaitable[Any]]], at_once: int = 16) -> list[Any]:
    limit = asyncio.Semaphore(at_once)

    async def one(job: Callable[[], Awaitable[Any]]) -> Any:
        async with limit:
            return await job()

    return list(await asyncio.gather(*(one(job) for job in work)))


async def add_cars(sim: httpx.AsyncClient, account_id: str, count: int, public_key: str) -> list[str]:
    async def car() -> str:
        vin = str(checked(await sim.post(f"/sim/accounts/{account_id}/vehicles", json=CHARGING))["vin"])
        checked(await sim.post(f"/sim/vehicles/{vin}/keys", json={"public_key": public_key, "role": "owner"}))
        return vin

    return await gathered([car for _ in range(count)])


async def sent(sim: httpx.AsyncClient) -> dict[str, dict[str, int]]:
    cars: dict[str, dict[str, int]] = checked(await sim.get("/bench/telemetry/sent"))["cars"]
    return cars


async def patch_all(sim: httpx.AsyncClient, vins: list[str], changes: dict[str, Any]) -> None:
    await gathered([lambda vin=vin: sim.patch(f"/sim/vehicles/{vin}", json=changes) for vin in vins])


async def usage_of(sim: httpx.AsyncClient, client_id: str, vins: list[str]) -> dict[str, int]:
    devices = checked(await sim.get("/sim/usage"))["clients"].get(client_id, {}).get("devices", {})
    totals = {"data": 0, "wakes": 0, "streaming_signals": 0, "commands": 0}
    for vin in vins:
        for category, count in devices.get(vin, {}).items():
            totals[category] = totals.get(category, 0) + count
    return totals


async def link_cars(
    api: httpx.AsyncClient, sim: httpx.AsyncClient, app: dict[str, Any], name: str, count: int
) -> dict[str, str]:
    """A new account with `count` charging cars that know the app's key, linked; their device ids by VIN."""
    account = checked(await sim.post("/sim/accounts", json={"email": f"{name}@example.com", "region": "na"}))
    public_key = public_key_pem(load_private_key_pem(app["private_key_pem"].encode())).decode()
    await add_cars(sim, account["id"], count, public_key)
    devices = await connect_account(
        api, sim, reference_id=name, email=f"{name}@example.com", access=ACCESS, scopes=SCOPES
    )
    return {device["vin"]: device["id"] for device in devices}


async def configure(api: httpx.AsyncClient, device_ids: list[str], body: dict[str, Any]) -> list[dict[str, Any]]:
    """Each car's config through the gateway; the gateway's answers (with its cost estimate)."""

    async def one(device_id: str) -> dict[str, Any]:
        return checked(await api.put(f"/v1/devices/{device_id}/telemetry", json=body))

    return await gathered([lambda device_id=device_id: one(device_id) for device_id in device_ids], at_once=8)


# -- (a) cost over a simulated day -----------------------------------------------------------------------------------


async def script_minute(sim: httpx.AsyncClient, vins: list[str], minute: int) -> None:
    """The typical day's events at this minute, the same for every car given."""
    for start, direction in ((MORNING, 1), (EVENING, -1)):
        if minute == start:
            await patch_all(sim, vins, {"state": "online", "is_climate_on": True})
        driving = start + PRECONDITION_MINUTES <= minute < start + PRECONDITION_MINUTES + DRIVE_MINUTES
        if driving:
            # About 50 km/h: 800 m a minute; out in the morning, back in the evening.
            step = minute - start - PRECONDITION_MINUTES + 1
            moved = step if direction > 0 else DRIVE_MINUTES - step
            odometer = 12345.6 + 0.5 * (step + (DRIVE_MINUTES if direction < 0 else 0))
            await patch_all(sim, vins, {"latitude": 37.4925 + 0.0072 * moved, "odometer": odometer})
        if minute == start + PRECONDITION_MINUTES + DRIVE_MINUTES:
            await patch_all(sim, vins, {"is_climate_on": False})


def config_checks(streamed_at: list[int]) -> int:
    """The checks of a synced config over the day (two billed data requests each), by the rule of
    `jobs.telemetry_checks`: one pass a minute asks about a config last checked `SYNCED_EVERY` ago or more, unless
    its car streamed within that time. The job runs on real time, so its rule is applied to the day's minutes rather
    than run; the config was checked when it was posted, at minute 0."""
    every = int(SYNCED_EVERY.total_seconds() // 60)
    streamed, checks, last_check, last_streamed = set(streamed_at), 0, 0, -every
    for minute in range(DAY_MINUTES):
        if minute in streamed:
            last_streamed = minute
        if minute - last_check >= every and minute - last_streamed >= every:
            checks, last_check = checks + 1, minute
    return checks


def poll_outcome(answer: httpx.Response) -> str:
    body = answer.json()
    if answer.status_code == 200:
        return f"{body['source']} {body.get('online_state') or ''}".strip()
    return str(body.get("error", {}).get("code", answer.status_code))


@dataclass
class DayCost:
    """A car's billed calls over the simulated day, averaged over its group, and the polls' answers."""

    seconds: float
    signals: float
    streaming_data_requests: float
    polling_data_requests: float
    polling_wakes: float
    polls: Counter[str]
    config_checks: float  # a day, by the rule of `jobs.telemetry_checks` over the day's streaming
    estimate: dict[str, Any]  # the gateway's own, from the config's answer

    @property
    def streaming_usd_per_month(self) -> float:
        return DAYS_A_MONTH * (self.signals / SIGNALS_PER_USD + self.streaming_data_requests / DATA_REQUESTS_PER_USD)

    @property
    def config_checks_usd_per_month(self) -> float:
        return DAYS_A_MONTH * self.config_checks * DATA_REQUESTS_PER_CHECK / DATA_REQUESTS_PER_USD

    @property
    def polling_usd_per_month(self) -> float:
        return DAYS_A_MONTH * (self.polling_data_requests / DATA_REQUESTS_PER_USD + self.polling_wakes / WAKES_PER_USD)


async def cost_day(sim: httpx.AsyncClient, api: httpx.AsyncClient, app: dict[str, Any], cars: int) -> DayCost:
    linked = await link_cars(api, sim, app, "cost-owner", 2 * cars)
    vins = sorted(linked)
    streaming, polled = vins[:cars], vins[cars:]
    configured = await configure(
        api, [linked[vin] for vin in streaming], {"fields": TYPICAL_FIELDS, "freshness_seconds": FRESHNESS_SECONDS}
    )
    # From here: the configs' own calls (the PUT) are not the day's.
    streaming_before = await usage_of(sim, app["client_id"], streaming)
    polled_before = await usage_of(sim, app["client_id"], polled)
    started = time.monotonic()
    polls: Counter[str] = Counter()
    last_poll = 0.0
    records_so_far: dict[str, int] = {}
    streamed_at: dict[str, list[int]] = {vin: [] for vin in streaming}
    for minute in range(DAY_MINUTES):
        await script_minute(sim, vins, minute)
        if minute % (FRESHNESS_SECONDS // 60) == 0:
            # The gateway keeps Tesla's 60 data calls per car and minute by its own (real) clock.
            await asyncio.sleep(max(0.0, last_poll + POLL_SPACING_SECONDS - time.monotonic()))
            last_poll = time.monotonic()
            answers = await gathered(
                [lambda vin=vin: api.get(f"/v1/devices/{linked[vin]}/state", params={"max_age": 0}) for vin in polled]
            )
            polls.update(poll_outcome(answer) for answer in answers)
        checked(await sim.post("/sim/clock", json={"advance_seconds": 60}))
        checked(await sim.post("/bench/telemetry/tick"))
        made = await sent(sim)
        for vin in streaming:
            records = made.get(vin, {}).get("records", 0)
            if records > records_so_far.get(vin, 0):
                streamed_at[vin].append(minute)
            records_so_far[vin] = records
    streamed = await usage_of(sim, app["client_id"], streaming)
    polled_after = await usage_of(sim, app["client_id"], polled)
    return DayCost(
        seconds=time.monotonic() - started,
        signals=(streamed["streaming_signals"] - streaming_before["streaming_signals"]) / cars,
        streaming_data_requests=(streamed["data"] - streaming_before["data"]) / cars,
        polling_data_requests=(polled_after["data"] - polled_before["data"]) / cars,
        polling_wakes=(polled_after["wakes"] - polled_before["wakes"]) / cars,
        polls=polls,
        config_checks=sum(config_checks(minutes) for minutes in streamed_at.values()) / cars,
        estimate=configured[0]["estimate"],
    )


# -- (b) throughput and (c) loss -------------------------------------------------------------------------------------


async def until(what: str, check: Callable[[], Awaitable[bool]], patience: float) -> float:
    started = time.monotonic()
    while not await check():
        if time.monotonic() - started > patience:
            raise RuntimeError(f"gave up waiting for {what} after {patience:g} s")
        await asyncio.sleep(0.5)
    return time.monotonic() - started


def made_by(cars: dict[str, dict[str, int]], vins: set[str]) -> int:
    return sum(car["records"] for vin, car in cars.items() if vin in vins)


def acks_of(cars: dict[str, dict[str, int]], vins: set[str]) -> int:
    return sum(car["acks"] for vin, car in cars.items() if vin in vins)


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent on anything but idling, so far (Linux's /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


async def throughput(
    sim: httpx.AsyncClient, database: Database, vins: set[str], seconds: float, warmup: float, pids: dict[str, int]
) -> dict[str, float]:
    async def all_connected() -> bool:
        cars = await sent(sim)
        return sum(cars.get(vin, {}).get("connected", 0) for vin in vins) == len(vins)

    connect_seconds = await until("every car's stream", all_connected, 300)
    await asyncio.sleep(warmup)
    cars, stored_before, started = await sent(sim), database.stored(), time.monotonic()
    acks_before, made_before = acks_of(cars, vins), made_by(cars, vins)
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    busy_before = machine_busy_seconds()
    await asyncio.sleep(seconds)
    cars, stored_after, ended = await sent(sim), database.stored(), time.monotonic()
    window = ended - started
    cpu = {f"{name}_cores": (cpu_seconds(pid) - cpu_before[name]) / window for name, pid in pids.items()}
    return {
        **cpu,
        "machine_cores": (machine_busy_seconds() - busy_before) / window,
        "connect_seconds": connect_seconds,
        "made_per_second": (made_by(cars, vins) - made_before) / window,
        "stored_per_second": (stored_after - stored_before) / window,
        "acked_per_second": (acks_of(cars, vins) - acks_before) / window,
    }


async def backlog(
    sim: httpx.AsyncClient, database: Database, pid: int, vins: set[str], paused_seconds: float
) -> dict[str, float]:
    """The receiver stopped (SIGSTOP) while the cars go on streaming into their sockets, then let go: the records
    waiting in its sockets are worked off as fast as it can, and what it stores a second then is its capacity."""
    os.kill(pid, signal.SIGSTOP)
    try:
        await asyncio.sleep(paused_seconds)
        waiting = made_by(await sent(sim), vins) - database.stored()
        stored_before, cpu_before, started = database.stored(), cpu_seconds(pid), time.monotonic()
    finally:
        os.kill(pid, signal.SIGCONT)
    target = stored_before + waiting
    while database.stored() < target:
        if time.monotonic() - started > BACKLOG_PATIENCE_SECONDS:
            raise RuntimeError(f"the receiver did not work off {waiting} records in {BACKLOG_PATIENCE_SECONDS} s")
        await asyncio.sleep(0.05)
    seconds = time.monotonic() - started
    stored = database.stored() - stored_before
    return {
        "waiting": waiting,
        "seconds": seconds,
        "stored_per_second": stored / seconds,
        "cpu_ms_per_record": 1000 * (cpu_seconds(pid) - cpu_before) / stored,
    }


async def kill_and_resume(
    sim: httpx.AsyncClient,
    receiver: Process,
    database: Database,
    vins: list[str],
    down_seconds: float,
    drain_patience: float,
) -> dict[str, int | float]:
    # Killed while records are on their way: once the cars hold some the receiver has not acked yet.
    in_flight = max(1, min(IN_FLIGHT_AT_KILL, len(vins) // 4))
    for _ in range(int(KILL_PATIENCE_SECONDS / 0.05)):
        cars = await sent(sim)
        if sum(cars[vin]["unacked"] for vin in vins if vin in cars) >= in_flight:
            break
        await asyncio.sleep(0.05)
    receiver.popen.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
    receiver.popen.wait()  # type: ignore[union-attr]
    at_kill = await sent(sim)
    waiting = sum(at_kill[vin]["unacked"] for vin in vins if vin in at_kill)
    await asyncio.sleep(down_seconds)
    receiver.start()
    assert receiver.port is not None
    await until_listening(receiver, receiver.port)

    async def reconnected() -> bool:
        cars = await sent(sim)
        return all(cars.get(vin, {}).get("connected") for vin in vins)

    reconnect_seconds = await until("the cars to reconnect", reconnected, 300)
    await asyncio.sleep(5)
    # Nothing new to send from here (the cars stop charging, and stay awake): what they hold is sent again on their
    # own, when the receiver's ack is overdue; when nothing moves for a while, the clock moves past that delay.
    await patch_all(sim, vins, {"charging_state": "Stopped", "sleep_after_seconds": 7 * 86400})
    drain_started = time.monotonic()
    last_moved, last_unacked = time.monotonic(), -1
    while time.monotonic() - drain_started < drain_patience:
        cars = await sent(sim)
        unacked = sum(cars[vin]["unacked"] for vin in vins)
        if unacked == 0:
            break
        if unacked != last_unacked:
            last_moved, last_unacked = time.monotonic(), unacked
        elif time.monotonic() - last_moved > STALL_SECONDS:
            checked(await sim.post("/sim/clock", json={"advance_seconds": RESEND_AFTER_SECONDS + 1}))
            last_moved = time.monotonic()
        await asyncio.sleep(1)
    drain_seconds = time.monotonic() - drain_started
    checked(await sim.put("/bench/telemetry/pace", json={"realtime": False}))
    cars = await sent(sim)
    stored = database.stored_by_vin()
    # A record the car still holds is not lost: it will be sent again (exact once nothing is held).
    lost = sum(max(0, cars[vin]["records"] - cars[vin]["unacked"] - stored.get(vin, 0)) for vin in vins)
    doubled = sum(max(0, stored.get(vin, 0) - cars[vin]["records"]) for vin in vins)
    return {
        "unacked_at_kill": waiting,
        "reconnect_seconds": reconnect_seconds,
        "drain_seconds": drain_seconds,
        "records": sum(cars[vin]["records"] for vin in vins),
        "stored": sum(stored.get(vin, 0) for vin in vins),
        "acks": sum(cars[vin]["acks"] for vin in vins),
        "still_unacked": sum(cars[vin]["unacked"] for vin in vins),
        "refused": sum(cars[vin]["refused"] for vin in vins),
        "lost": lost,
        "doubled": doubled,
    }


# -- the run ---------------------------------------------------------------------------------------------------------


def report_cost(cost: DayCost) -> None:
    print(
        f"cost: a simulated day in {cost.seconds:.0f} s; a streaming car {cost.signals:.0f} signals and "
        f"{cost.streaming_data_requests:g} data requests (and {cost.config_checks:g} config checks by the gateway), "
        f"a polled car {cost.polling_data_requests:g} data requests "
        f"and {cost.polling_wakes:g} wakes; the polls answered: "
        + ", ".join(f"{outcome} {count}" for outcome, count in cost.polls.most_common())
    )
    streaming = cost.streaming_usd_per_month
    with_checks = streaming + cost.config_checks_usd_per_month
    print(f"RESULT streaming_usd_per_vehicle_month={streaming:.3f}")
    print(f"RESULT streaming_with_config_checks_usd_per_vehicle_month={with_checks:.3f}")
    print(f"RESULT polling_usd_per_vehicle_month={cost.polling_usd_per_month:.2f}")
    print(f"RESULT polling_to_streaming_cost_ratio={cost.polling_usd_per_month / with_checks:.1f}")
    estimate = cost.estimate
    print(
        f"the gateway's estimate for the same config: {estimate['signals_per_day']:.0f} signals a day, "
        f"${estimate['usd_per_month']:.3f} a month; polling {estimate['polling']['requests_per_day']:.0f} requests "
        f"a day, ${estimate['polling']['usd_per_month']:.2f} a month"
    )


async def bench(args: argparse.Namespace, workdir: Path) -> bool:
    """True when no record was lost or doubled."""
    database = Database(None if args.sqlite else args.postgres_url, workdir)
    database.create()
    python = [sys.executable, "-m", "fleetgate"]
    sim_port, api_port, receiver_port = free_port(), free_port(), free_port()
    base_env = gateway_env({})
    simulator = Process(
        "simulator",
        [sys.executable, str(Path(__file__).with_name("telemetry_sim.py")), "--port", str(sim_port)],
        base_env,
        workdir / "simulator.log",
        sim_port,
    )
    processes = [simulator]
    try:
        simulator.start()
        await until_simulator(simulator)
        files = receiver_files(workdir)
        async with client(simulator.url, connections=16) as sim:
            (workdir / "vehicle-ca.pem").write_bytes((await sim.get("/sim/telemetry/ca")).content)
            public_url = f"http://{HOST}:{api_port}"
            app = await register_app(sim, public_url)
            api_key = await create_api_key(database.url)
            settings = {
                "mode": "prod",
                "public_url": public_url,
                "database_url": database.url,
                "encryption_key": base64.b64encode(secrets.token_bytes(32)).decode(),
                "tesla": simulator.url,
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "domain": "bench.fleetgate.test",
                "private_key_pem": app["private_key_pem"],
                # Background calls to Tesla paced by real time would not scale with the simulated day.
                "device_sync_interval_seconds": 0,
                "telemetry_check_interval_seconds": 0,
                "telemetry_hostname": HOST,
                "telemetry_public_port": receiver_port,
                "telemetry_ca_chain_path": files["ca"],
            }
            gateway = Process(
                "gateway",
                [*python, "serve", "--host", HOST, "--port", str(api_port)],
                gateway_env(settings),
                workdir / "gateway.log",
                api_port,
            )
            receiver_settings = {
                **settings,
                "telemetry_host": HOST,
                "telemetry_port": receiver_port,
                "telemetry_cert_path": files["cert"],
                "telemetry_key_path": files["key"],
                "telemetry_vehicle_ca_path": workdir / "vehicle-ca.pem",
            }
            receiver = Process(
                "receiver",
                [*python, "telemetry"],
                gateway_env(receiver_settings),
                workdir / "receiver.log",
                receiver_port,
            )
            processes += [gateway, receiver]
            gateway.start()
            receiver.start()
            await until_ready(gateway)
            await until_listening(receiver, receiver_port)
            print(f"database: {'SQLite' if args.sqlite else 'PostgreSQL'}; this machine has {os.cpu_count()} cores,")
            print("shared by the receiver, the simulator's streaming cars, the gateway and the database")

            async with client(public_url, {"Authorization": f"Bearer {api_key}"}, connections=16) as api:
                if args.cost_cars:
                    report_cost(await cost_day(sim, api, app, args.cost_cars))

                started = time.monotonic()
                linked = await link_cars(api, sim, app, "fleet-owner", args.cars)
                load_vins = sorted(linked)
                load = {name: {"interval_seconds": args.interval, "minimum_delta": 0} for name in LOAD_FIELDS}
                await configure(api, [linked[vin] for vin in load_vins], {"fields": load})
                print(f"{args.cars} cars linked and configured in {time.monotonic() - started:.0f} s")
                checked(await sim.put("/bench/telemetry/pace", json={"realtime": True}))
                pids = {"receiver": receiver.popen.pid, "simulator": simulator.popen.pid}  # type: ignore[union-attr]
                rate = await throughput(sim, database, set(load_vins), args.seconds, args.warmup, pids)
                print(
                    f"over the window, in cores busy: the receiver {rate['receiver_cores']:.2f}, the simulator's cars "
                    f"{rate['simulator_cores']:.2f}, the whole machine {rate['machine_cores']:.2f} of {os.cpu_count()}"
                )
                print(f"every stream connected {rate['connect_seconds']:.0f} s after the cars started")
                print(f"RESULT records_per_second_at_offered_load={rate['stored_per_second']:.0f}")
                print(f"RESULT acked_records_per_second={rate['acked_per_second']:.0f}")
                stored_per_second = rate["stored_per_second"]
                per_record = 1000 * rate["receiver_cores"] / stored_per_second if stored_per_second else float("nan")
                print(f"RESULT receiver_cpu_ms_per_record={per_record:.2f}")
                print(f"RESULT offered_records_per_second={rate['made_per_second']:.0f}")
                paused = await backlog(sim, database, pids["receiver"], set(load_vins), args.paused_seconds)
                print(
                    f"paused {args.paused_seconds:g} s while the cars streamed on: {paused['waiting']:.0f} records "
                    f"waiting, worked off in {paused['seconds']:.1f} s "
                    f"({paused['cpu_ms_per_record']:.2f} ms of the receiver's CPU a record)"
                )
                print(f"RESULT records_per_second={paused['stored_per_second']:.0f}")

                loss = await kill_and_resume(sim, receiver, database, load_vins, args.down_seconds, args.drain_patience)
                print(
                    f"killed with {loss['unacked_at_kill']} records unacked; the cars reconnected in "
                    f"{loss['reconnect_seconds']:.0f} s; {loss['drain_seconds']:.0f} s later (all acked, or patience "
                    "spent): "
                    f"{loss['records']} records made, {loss['stored']} stored, {loss['acks']} acks, "
                    f"{loss['still_unacked']} still held by the cars, {loss['refused']} refused"
                )
                print(f"RESULT lost_records={loss['lost']}")
                print(f"RESULT doubled_records={loss['doubled']}")
                return not loss["lost"] and not loss["doubled"]
    finally:
        for process in reversed(processes):
            process.stop()
        database.drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cars", type=int, default=1000, help="cars streaming to the receiver in (b) and (c)")
    parser.add_argument("--seconds", type=float, default=20, help="the measured window of (b)")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of streaming before the window")
    parser.add_argument(
        "--paused-seconds", type=float, default=15, help="how long (b) stops the receiver to measure its capacity"
    )
    parser.add_argument("--down-seconds", type=float, default=3, help="how long the killed receiver stays down")
    parser.add_argument(
        "--interval", type=int, default=1, help="seconds between a car's records in (b) (each car sends at most one)"
    )
    parser.add_argument(
        "--drain-patience", type=float, default=300, help="seconds (c) waits for every record to be acked"
    )
    parser.add_argument("--cost-cars", type=int, default=10, help="cars streamed and cars polled in (a); 0 skips it")
    parser.add_argument("--sqlite", action="store_true", help="SQLite in the run's directory instead of PostgreSQL")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("FLEETGATE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the run may create (and then drops) a database of its own",
    )
    parser.add_argument("--logs", type=Path, help="keep the processes' logs in this directory")
    args = parser.parse_args()
    if args.logs is not None:
        args.logs.mkdir(parents=True, exist_ok=True)
        whole = asyncio.run(bench(args, args.logs))
    else:
        with tempfile.TemporaryDirectory(prefix="fleetgate-telemetry-") as directory:
            whole = asyncio.run(bench(args, Path(directory)))
    return 0 if whole else 1


if __name__ == "__main__":
    sys.exit(main())
