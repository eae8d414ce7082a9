"""Device state reads over real sockets: upstream calls for a burst of concurrent reads, and cached-read throughput.

Three servers, each a uvicorn process of its own on a loopback port: the Tesla simulator, the gateway (SQLite in a
temporary directory, or `--database-url`) pointed at it, and a bare FastAPI app whose one endpoint answers the
same JSON body the gateway answers. One account with one vehicle is linked through the gateway's hosted connect
flow and the simulator's scripted consent, as an end user would.

(a) `--burst` concurrent `GET /v1/devices/{id}/state?max_age=300` on a device never read before, while Tesla takes
`--tesla-latency-ms` to answer `vehicle_data` (a real car takes about that long): the simulator's own usage counters
must show exactly one billed data call.

(b) Cached reads: the same request with a large `max_age` against the gateway, and `GET` of the bare endpoint, over
the same kind of socket with the same httpx client settings: `--sequential` requests one after another, then
`--requests` with `--concurrency` in flight, in alternating rounds. No read in (b) may reach Tesla.

Run: `python bench/state_reads.py` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import math
import os
import secrets
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

HOST = "127.0.0.1"
DOMAIN = "bench.fleetgate.test"
EMAIL = "bench-owner@example.com"
ACCESS = ["vehicle_data", "vehicle_location"]
SCOPES = "openid offline_access vehicle_device_data vehicle_location"
ROLE = "FLEETGATE_BENCH_ROLE"
CONFIG = "FLEETGATE_BENCH_CONFIG"


# -- the three servers, each run by this file in a process of its own ---------------------------------------------


def serve(role: str, port: int, config: dict[str, Any]) -> None:
    app: FastAPI
    if role == "sim":
        from fleetgate.simulator.app import create_simulator_app

        app = create_simulator_app(seed=7)
    elif role == "gateway":
        from fleetgate.app import create_app
        from fleetgate.config import Settings

        app = create_app(Settings(**config))
    else:
        app = bare_app(config["body"])
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


def bare_app(body: dict[str, Any]) -> FastAPI:
    """The yardstick: no authentication, no database, the same body rendered the same way (a `JSONResponse`)."""
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/devices/{device_id}/state")
    async def state(device_id: str) -> JSONResponse:
        return JSONResponse(body)

    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    url: str
    process: asyncio.subprocess.Process

    async def stop(self) -> None:
        if self.process.returncode is not None:
            return
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), timeout=10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


async def start(role: str, config: dict[str, Any], ready_path: str, port: int | None = None) -> Server:
    """Runs this file as the `role` server, and waits until `ready_path` answers 200."""
    port = port or free_port()
    env = {**os.environ, ROLE: role, CONFIG: json.dumps(config)}
    process = await asyncio.create_subprocess_exec(sys.executable, __file__, "--serve-port", str(port), env=env)
    server = Server(role, f"http://{HOST}:{port}", process)
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as client:
        while True:
            if process.returncode is not None:
                raise RuntimeError(f"the {role} server exited with {process.returncode}")
            try:
                if (await client.get(f"{server.url}{ready_path}")).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                await server.stop()
                raise RuntimeError(f"the {role} server did not start")
            await asyncio.sleep(0.1)


# -- setting up: a developer app at Tesla, a workspace, a user who connects their car --------------------------------


def checked(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    if response.status_code not in (statuses or (200, 201)):
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")
    body: dict[str, Any] = response.json() if response.content else {}
    return body


async def register_app(sim: httpx.AsyncClient, gateway_url: str) -> dict[str, Any]:
    from fleetgate.protocol.keys import private_key_pem, public_key_pem, random_private_key

    app = checked(
        await sim.post(
            "/sim/apps",
            json={
                "name": "Bench",
                "redirect_uris": [f"{gateway_url}/connect/callback"],
                "allowed_origins": [gateway_url],
            },
        )
    )
    key = random_private_key()
    partner = {"domain": DOMAIN, "public_key": public_key_pem(key).decode()}
    checked(await sim.post(f"/sim/apps/{app['client_id']}/partner_accounts", json=partner))
    app["private_key_pem"] = private_key_pem(key).decode()
    return app


async def create_api_key(database_url: str) -> str:
    from fleetgate.features.workspaces.service import create_api_key, create_workspace
    from fleetgate.infra.db.engine import create_engine, create_sessionmaker
    from fleetgate.infra.db.migrate import upgrade

    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as session, session.begin():
            workspace = await create_workspace(session, "Bench")
            _, key = await create_api_key(session, workspace.id, "bench")
            return key.key
    finally:
        await engine.dispose()


async def connect_account(
    api: httpx.AsyncClient, sim: httpx.AsyncClient, *, reference_id: str, email: str, access: list[str], scopes: str
) -> list[dict[str, Any]]:
    """The end user's trip through the hosted flow, with Tesla's consent scripted (`scopes` ticked); answers every
    device of the connection."""
    created = checked(await api.post("/v1/connect-sessions", json={"reference_id": reference_id, "access": access}))
    start_page = await api.get(f"/connect/{created['id']}/start")
    authorize = start_page.headers["location"]
    consent = await sim.get(f"{authorize}&{urlencode({'login_hint': email, 'sim_grant': scopes})}")
    callback = urlsplit(consent.headers["location"])
    finished = await api.get(f"{callback.path}?{callback.query}")
    if finished.status_code not in (302, 303):
        raise RuntimeError(f"the connect callback answered {finished.status_code}: {finished.text}")
    session = checked(await api.get(f"/v1/connect-sessions/{created['id']}"))
    if session["status"] != "completed":
        raise RuntimeError(f"the connect session ended {session['status']}: {session.get('error')}")
    devices: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 100, "connection_id": session["connection_id"], **({"cursor": cursor} if cursor else {})}
        page = checked(await api.get("/v1/devices", params=params))
        devices.extend(page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            return devices


def gateway_settings(gateway_url: str, database_url: str, sim_url: str, app: dict[str, Any]) -> dict[str, Any]:
    """A production-mode gateway pointed at the simulator, with the app `register_app` made."""
    return {
        "mode": "prod",
        "public_url": gateway_url,
        "database_url": database_url,
        "encryption_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "tesla": sim_url,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "domain": DOMAIN,
        "private_key_pem": app["private_key_pem"],
    }


async def data_calls(sim: httpx.AsyncClient) -> int:
    count: int = checked(await sim.get("/sim/usage"))["totals"]["data"]
    return count


# -- measuring -------------------------------------------------------------------------------------------------------


def client(base_url: str, headers: dict[str, str] | None = None, connections: int = 64) -> httpx.AsyncClient:
    # Idle connections dropped well before uvicorn's own 5 s keep-alive closes them: reusing one the server is closing
    # at that moment fails the request.
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=2.0)
    return httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=60.0)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux's /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Tally:
    """Requests, the wall time they took, and the CPU time the server spent on them."""

    requests: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu / self.requests if self.requests else math.nan

    async def run(self, count: int, work: Awaitable[None], server_pid: int) -> None:
        cpu, started = cpu_seconds(server_pid), time.perf_counter()
        await work
        self.seconds += time.perf_counter() - started
        self.server_cpu += cpu_seconds(server_pid) - cpu
        self.requests += count

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.requests + other.requests, self.seconds + other.seconds, self.server_cpu + other.server_cpu)


async def sequential(http: httpx.AsyncClient, path: str, count: int) -> None:
    for _ in range(count):
        response = await http.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text}")


async def concurrent(http: httpx.AsyncClient, path: str, count: int, concurrency: int) -> None:
    shares = [count // concurrency + (1 if i < count % concurrency else 0) for i in range(concurrency)]
    await asyncio.gather(*(sequential(http, path, share) for share in shares))


@dataclass
class Linked:
    gateway_url: str
    headers: dict[str, str]
    device_id: str

    @property
    def path(self) -> str:
        return f"/v1/devices/{self.device_id}/state"


async def link(
    args: argparse.Namespace, sim: httpx.AsyncClient, sim_url: str, servers: list[Server], tmp: str
) -> Linked:
    """The app at Tesla, a workspace with an API key, the gateway started, and a user who connects their car."""
    port = free_port()  # chosen beforehand: the gateway's callback URL is part of the app registered at Tesla
    gateway_url = f"http://{HOST}:{port}"
    database_url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
    app = await register_app(sim, gateway_url)
    account = checked(await sim.post("/sim/accounts", json={"email": EMAIL, "region": "na"}))
    checked(await sim.post(f"/sim/accounts/{account['id']}/vehicles", json={}))
    headers = {"Authorization": f"Bearer {await create_api_key(database_url)}"}
    servers.append(await start("gateway", gateway_settings(gateway_url, database_url, sim_url, app), "/healthz", port))
    async with client(gateway_url, headers) as api:
        devices = await connect_account(api, sim, reference_id="bench-user", email=EMAIL, access=ACCESS, scopes=SCOPES)
        return Linked(gateway_url, headers, devices[0]["id"])


async def concurrent_burst(args: argparse.Namespace, sim: httpx.AsyncClient, linked: Linked) -> dict[str, Any]:
    """(a): the burst on a device never read, while Tesla is slow to answer; answers one of the bodies."""
    before = await data_calls(sim)
    if args.tesla_latency_ms:
        fault = {"path": "/vehicle_data", "latency_ms": args.tesla_latency_ms, "count": 1}
        checked(await sim.post("/sim/faults", json=fault))
    async with client(linked.gateway_url, linked.headers, connections=args.burst) as api:
        answers = await asyncio.gather(*(api.get(linked.path, params={"max_age": "300"}) for _ in range(args.burst)))
    failed = [answer for answer in answers if answer.status_code != 200]
    if failed:
        raise RuntimeError(f"{len(failed)} reads failed, e.g. {failed[0].status_code} {failed[0].text}")
    upstream = await data_calls(sim) - before
    live = sum(answer.json()["source"] == "live" for answer in answers)
    print(f"RESULT upstream_data_calls_for_{args.burst}_concurrent_reads={upstream}")
    print(f"RESULT reads_answered_by_the_shared_upstream_read={live}")
    if upstream != 1:
        raise RuntimeError(f"{args.burst} concurrent reads made {upstream} upstream data calls, not 1")
    body: dict[str, Any] = answers[0].json()
    return body


async def cached_throughput(
    args: argparse.Namespace, sim: httpx.AsyncClient, linked: Linked, gateway_pid: int, bare: Server
) -> None:
    """(b): the same reads of the gateway's cache and of the bare endpoint, in alternating rounds."""
    path = f"{linked.path}?max_age=86400"
    tallies = {name: (Tally(), Tally()) for name in ("gateway", "bare")}  # sequential, concurrent
    before = await data_calls(sim)
    async with (
        client(linked.gateway_url, linked.headers, args.concurrency) as gateway,
        client(bare.url, None, args.concurrency) as bare_http,
    ):
        targets = {"gateway": (gateway, gateway_pid), "bare": (bare_http, bare.process.pid)}
        for http, _ in targets.values():  # warm up: connections, first-use imports and caches
            await concurrent(http, path, args.concurrency * 10, args.concurrency)
        one_by_one, at_once = args.sequential // args.rounds, args.requests // args.rounds
        for _ in range(args.rounds):
            for name, (http, pid) in targets.items():
                in_order, in_parallel = tallies[name]
                await in_order.run(one_by_one, sequential(http, path, one_by_one), pid)
                await in_parallel.run(at_once, concurrent(http, path, at_once, args.concurrency), pid)
        check = checked(await gateway.get(path))
    if check["source"] != "cache" or await data_calls(sim) != before:
        raise RuntimeError("a cached read reached Tesla")
    both = {}
    for name, (in_order, in_parallel) in tallies.items():
        both[name] = in_order + in_parallel
        label = "gateway" if name == "gateway" else "bare_endpoint"
        print(f"RESULT {label}_sequential_reads_per_second={in_order.per_second:.0f}")
        print(f"RESULT {label}_concurrent_reads_per_second={in_parallel.per_second:.0f}")
        print(f"RESULT {label}_server_cpu_ms_per_read={both[name].cpu_ms_per_request:.2f}")
    print(f"RESULT gateway_cached_reads_per_second={both['gateway'].per_second:.0f}")
    print(f"RESULT bare_endpoint_reads_per_second={both['bare'].per_second:.0f}")
    print(f"RESULT cached_read_throughput_ratio={both['gateway'].per_second / both['bare'].per_second:.2f}")


async def measure(args: argparse.Namespace) -> None:
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="fleetgate-bench-") as tmp:
        try:
            servers.append(await start("sim", {}, "/status"))
            async with client(servers[0].url) as sim:
                linked = await link(args, sim, servers[0].url, servers, tmp)
                body = await concurrent_burst(args, sim, linked)
                servers.append(await start("bare", {"body": body}, "/healthz"))
                await cached_throughput(args, sim, linked, servers[1].process.pid, servers[-1])
        finally:
            for server in reversed(servers):
                await server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", help="the gateway's database (default: SQLite in a temporary directory)")
    parser.add_argument("--burst", type=int, default=200, help="concurrent reads of a device never read (a)")
    parser.add_argument("--tesla-latency-ms", type=int, default=1000, help="how long vehicle_data takes in (a)")
    parser.add_argument("--sequential", type=int, default=600, help="cached reads one after another (b)")
    parser.add_argument("--requests", type=int, default=3000, help="cached reads with --concurrency in flight (b)")
    # At most 7 by default: `current_workspace` records an API key's use (once a minute) in a second transaction
    # from the same database pool (15 connections on SQLite), so with more than half the pool in requests at once,
    # those writes can all wait for a connection until the pool's 30 s timeout.
    parser.add_argument("--concurrency", type=int, default=7, help="cached reads in flight at once (b)")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of gateway and bare endpoint (b)")
    parser.add_argument("--serve-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_port is not None:
        serve(os.environ[ROLE], args.serve_port, json.loads(os.environ[CONFIG]))
        return 0
    asyncio.run(measure(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
