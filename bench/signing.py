"""Signed commands through `SignedCommander` against the in-process simulator: throughput and upstream calls.

One app, one account with `--vehicles` cars paired with the app's key, and `--commands` signed commands spread
evenly over the cars, mixed across both domains (VCSEC: door_lock / door_unlock; infotainment: honk_horn,
flash_lights, set_charge_limit alternating between two values, so that the car never refuses one). Each round
sends one command to every car at once; simulated time then moves on so that no car exceeds Tesla's 30 commands a
minute (handshakes count too). The commander reads the simulator's clock, as a gateway's clock runs with the cars'.

A second, shorter run in the same process uses a commander whose session cache is emptied before every command,
to show what the cache saves. Billed calls come from the simulator's usage counters (`GET /sim/usage`).

With `--socket` the simulator runs in a uvicorn process of its own on a loopback port and every call crosses a real
socket, as calls to Tesla do: the script's CPU time is then the client's alone (`client_cpu_ms_per_command`), and
the connection pool, the part of the client that only a socket exercises, is measured too.

With `--socket --peer` the same commands go to the same cars, with the same number in flight, through fleetgate and
through the third-party `tesla-fleet-api` client in turns (fleetgate, peer, fleetgate, peer…), each turn with a new
client and new sessions, so that both pay for their connections and handshakes and machine noise hits both.

Run: `python bench/signing.py` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
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
from fleetgate.tesla.transport import tesla_client

HOST = "127.0.0.1"
DOMAINS = 2  # VCSEC and infotainment
COMMANDS_PER_MINUTE = 30  # Tesla's per-vehicle limit
HEADROOM = 2  # calls a minute kept free, so that rounding at the edge of the one-minute window never hits 429
SCOPES = "openid offline_access vehicle_device_data vehicle_cmds vehicle_charging_cmds"


@dataclass
class Simulator:
    """The simulator as the bench sees it, in this process or in another: its URL, the transport that reaches it,
    and its clock (read here, moved by `/sim/clock`)."""

    url: str
    transport: httpx.AsyncBaseTransport | None
    control: httpx.AsyncClient
    pid: int | None = None
    offset: float = 0.0  # the simulator's clock minus ours

    def now(self) -> float:
        return time.time() + self.offset

    async def advance(self, seconds: float) -> None:
        response = await self.control.post("/sim/clock", json={"advance_seconds": seconds})
        response.raise_for_status()
        self.offset = float(response.json()["now"]) - time.time()


@asynccontextmanager
async def in_process() -> AsyncIterator[Simulator]:
    sim = create_simulator_app(World(seed=1))
    async with sim.router.lifespan_context(sim):
        transport = httpx.ASGITransport(app=sim)
        url = "http://sim.test"
        async with httpx.AsyncClient(transport=transport, base_url=url) as control:
            simulator = Simulator(url, transport, control)
            await simulator.advance(0)
            yield simulator


@asynccontextmanager
async def over_socket() -> AsyncIterator[Simulator]:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port = int(sock.getsockname()[1])
    url = f"http://{HOST}:{port}"
    process = await asyncio.create_subprocess_exec(sys.executable, __file__, "--serve-port", str(port))
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30.0) as control:
            deadline = time.monotonic() + 30
            while True:
                if process.returncode is not None:
                    raise RuntimeError(f"the simulator exited with {process.returncode}")
                try:
                    if (await control.get("/status")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the simulator did not start")
                await asyncio.sleep(0.1)
            simulator = Simulator(url, None, control, pid=process.pid)
            await simulator.advance(0)
            yield simulator
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


def serve(port: int) -> None:
    import uvicorn

    app = create_simulator_app(World(seed=1))
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process so far (Linux's /proc; NaN elsewhere or without a process)."""
    if pid is None:
        return math.nan
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Fleet:
    client_id: str
    vins: list[str]
    api: FleetApi
    session: FleetSession
    access_token: str


@dataclass
class Spent:
    """Wall time and this process's CPU time spent sending commands (clock moves excluded), and the simulator's
    CPU time when it runs apart."""

    seconds: float = 0.0
    client_cpu: float = 0.0
    simulator_cpu: float = 0.0


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
    simulator: Simulator, http: httpx.AsyncClient, vehicles: int
) -> tuple[Fleet, ec.EllipticCurvePrivateKey]:
    async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await simulator.control.post(path, json=body)
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
    endpoints = TeslaEndpoints.simulator(simulator.url)
    session = FleetSession(http, endpoints, StaticToken(tokens["access_token"]), "na")
    return Fleet(app["client_id"], vins, FleetApi(session), session, tokens["access_token"]), key


async def billed_commands(control: httpx.AsyncClient, client_id: str) -> int:
    usage = (await control.get("/sim/usage")).json()
    return int(usage["clients"].get(client_id, {}).get("totals", {}).get("commands", 0))


Send = Callable[[str, str, dict[str, Any]], Awaitable[None]]


def commander_send(
    api: FleetApi, commander: SignedCommander, before_each: Callable[[str], None] = lambda vin: None
) -> Send:
    async def send(vin: str, name: str, params: dict[str, Any]) -> None:
        before_each(vin)
        result = await commander.execute(api, vin, name, params)
        if not (result.result and result.signed):
            raise RuntimeError(f"{name} on {vin} was not a signed success: {result}")

    return send


async def run_rounds(
    vins: list[str],
    send: Send,
    simulator: Simulator,
    commands: int,
    *,
    calls_per_command: int,
    after_advance: Callable[[int], None] = lambda seconds: None,
) -> Spent:
    """Sends `commands` commands, one round (a command to every car at once) at a time."""
    rounds = commands // len(vins)
    # One round is one call per car per command, plus a handshake per domain in a car's first rounds. Whole
    # seconds, so that a client that keeps the cars' clock as an offset in seconds can follow it exactly.
    pace = math.ceil(60.0 / (COMMANDS_PER_MINUTE - DOMAINS - HEADROOM) * calls_per_command)
    spent = Spent()
    for n in range(rounds):
        name, params = command_for(n)
        started, cpu, simulator_cpu = time.perf_counter(), time.process_time(), cpu_seconds(simulator.pid)
        await asyncio.gather(*(send(vin, name, params) for vin in vins))
        spent.seconds += time.perf_counter() - started
        spent.client_cpu += time.process_time() - cpu
        spent.simulator_cpu += cpu_seconds(simulator.pid) - simulator_cpu
        await simulator.advance(pace)
        after_advance(pace)
    return spent


def client(simulator: Simulator, *, httpcore: bool) -> httpx.AsyncClient:
    if httpcore:  # httpx's own transport, as fleetgate's Tesla client had before `tesla.transport`
        return httpx.AsyncClient(transport=simulator.transport, timeout=30.0)
    return tesla_client(simulator.transport)


async def main(commands: int, vehicles: int, uncached_commands: int, *, socket: bool, httpcore: bool) -> None:
    async with over_socket() if socket else in_process() as simulator, client(simulator, httpcore=httpcore) as http:
        fleet, key = await seed(simulator, http, vehicles)
        control = simulator.control

        cached = SignedCommander(key, clock=simulator.now)
        calls_before = await billed_commands(control, fleet.client_id)
        send = commander_send(fleet.api, cached)
        spent = await run_rounds(fleet.vins, send, simulator, commands, calls_per_command=1)
        cached_calls = await billed_commands(control, fleet.client_id) - calls_before
        sent = commands // vehicles * vehicles

        await simulator.advance(60)  # an empty rate-limit window for the second run
        uncached = SignedCommander(key, clock=simulator.now)
        calls_before = await billed_commands(control, fleet.client_id)
        await run_rounds(
            fleet.vins,
            commander_send(fleet.api, uncached, before_each=uncached.sessions.forget),
            simulator,
            uncached_commands,
            calls_per_command=2,
        )
        uncached_calls = await billed_commands(control, fleet.client_id) - calls_before
        uncached_sent = uncached_commands // vehicles * vehicles

        executed = 0
        for vin in fleet.vins:
            executed += len((await control.get(f"/sim/vehicles/{vin}")).json()["executed_commands"])
        if executed != sent + uncached_sent:
            raise RuntimeError(f"the cars ran {executed} commands, {sent + uncached_sent} were sent")

    print(f"RESULT transport={'asgi' if not socket else 'httpcore' if httpcore else 'aiohttp'}")
    print(f"RESULT commands={sent}")
    print(f"RESULT vehicles={vehicles}")
    print(f"RESULT signed_commands_per_second={sent / spent.seconds:.1f}")
    print(f"RESULT client_cpu_ms_per_command={1000 * spent.client_cpu / sent:.2f}")
    if socket:
        print(f"RESULT simulator_cpu_ms_per_command={1000 * spent.simulator_cpu / sent:.2f}")
    print(f"RESULT handshakes_per_vehicle_domain={cached.handshakes / (vehicles * DOMAINS):.2f}")
    print(f"RESULT resyncs={cached.resyncs}")
    print(f"RESULT upstream_calls_per_command={cached_calls / sent:.3f}")
    print(f"RESULT uncached_commands={uncached_sent}")
    print(f"RESULT upstream_calls_per_command_without_cache={uncached_calls / uncached_sent:.3f}")


PEER_MISSING = (
    "--peer sends the same commands through the third-party `tesla-fleet-api` client, which is not installed.\n"
    "Install the bench extra: pip install -e '.[bench]'"
)


async def fleetgate_turn(simulator: Simulator, fleet: Fleet, key: ec.EllipticCurvePrivateKey, commands: int) -> Spent:
    """One turn of the comparison: a new Tesla client and a new commander, so a handshake per car and domain."""
    async with tesla_client() as http:
        session = FleetSession(http, TeslaEndpoints.simulator(simulator.url), StaticToken(fleet.access_token), "na")
        commander = SignedCommander(key, clock=simulator.now)
        send = commander_send(FleetApi(session), commander)
        return await run_rounds(fleet.vins, send, simulator, commands, calls_per_command=1)


async def peer_turn(simulator: Simulator, fleet: Fleet, key: ec.EllipticCurvePrivateKey, commands: int) -> Spent:
    """The same turn through `tesla-fleet-api`: its Fleet API client on its own aiohttp session, its signed vehicles
    (HMAC-signed commands, one session per car and domain, made on the first command) with the app's key."""
    import aiohttp
    from tesla_fleet_api import TeslaFleetApi

    async with aiohttp.ClientSession() as http:
        api = TeslaFleetApi(http, access_token=fleet.access_token, server=f"{simulator.url}/na")
        api.private_key = key
        cars = {vin: api.vehicles.createSigned(vin) for vin in fleet.vins}

        async def send(vin: str, name: str, params: dict[str, Any]) -> None:
            answer = await getattr(cars[vin], name)(**params)
            if answer.get("response", {}).get("result") is not True:
                raise RuntimeError(f"{name} on {vin} was not a success through the peer: {answer}")

        def follow_clock(seconds: int) -> None:
            # The peer keeps the car's clock as its offset from this machine's (`Session.delta`, whole seconds) and
            # has no clock to pass in; a real car's clock runs with ours. When the bench moves the simulated cars'
            # clock on, it tells the peer's sessions, as `SignedCommander(clock=simulator.now)` reads it.
            for car in cars.values():
                for domain_session in car._sessions.values():
                    if domain_session.delta is not None:
                        domain_session.delta -= seconds

        return await run_rounds(fleet.vins, send, simulator, commands, calls_per_command=1, after_advance=follow_clock)


async def compare(commands: int, vehicles: int, turns: int) -> None:
    async with over_socket() as simulator, tesla_client() as http:
        fleet, key = await seed(simulator, http, vehicles)
        sent = commands // vehicles * vehicles
        clients = {"fleetgate": fleetgate_turn, "peer": peer_turn}
        totals = {name: Spent() for name in clients}
        for turn in range(turns):
            for name, run in clients.items():
                await simulator.advance(60)  # an empty rate-limit window for each turn
                spent = await run(simulator, fleet, key, commands)
                total = totals[name]
                total.seconds += spent.seconds
                total.client_cpu += spent.client_cpu
                total.simulator_cpu += spent.simulator_cpu
                print(
                    f"turn {turn + 1} {name}: {sent / spent.seconds:.0f} commands/s, "
                    f"client {1000 * spent.client_cpu / sent:.2f} ms CPU/command, "
                    f"simulator {1000 * spent.simulator_cpu / sent:.2f} ms CPU/command",
                    flush=True,
                )

        executed = 0
        for vin in fleet.vins:
            executed += len((await simulator.control.get(f"/sim/vehicles/{vin}")).json()["executed_commands"])
        if executed != sent * turns * len(clients):
            raise RuntimeError(f"the cars ran {executed} commands, {sent * turns * len(clients)} were sent")

    total_sent = sent * turns
    rate = {name: total_sent / spent.seconds for name, spent in totals.items()}
    print("RESULT transport=aiohttp")
    print(f"RESULT commands_per_client={total_sent}")
    print(f"RESULT turns_per_client={turns}")
    print(f"RESULT vehicles={vehicles}")
    print(f"RESULT fleetgate_commands_per_second={rate['fleetgate']:.1f}")
    print(f"RESULT peer_commands_per_second={rate['peer']:.1f}")
    print(f"RESULT throughput_ratio={rate['fleetgate'] / rate['peer']:.2f}")
    for name, spent in totals.items():
        print(f"RESULT {name}_client_cpu_ms_per_command={1000 * spent.client_cpu / total_sent:.2f}")
    for name, spent in totals.items():
        print(f"RESULT {name}_simulator_cpu_ms_per_command={1000 * spent.simulator_cpu / total_sent:.2f}")


def peer_installed() -> bool:
    try:
        import tesla_fleet_api  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, help="1,000, or 500 per turn with --peer")
    parser.add_argument("--vehicles", type=int, default=10, help="also the commands in flight at once")
    parser.add_argument("--uncached-commands", type=int, default=200)
    parser.add_argument("--socket", action="store_true", help="the simulator in a process of its own, over loopback")
    parser.add_argument("--httpcore", action="store_true", help="with --socket: httpx's own pool, for comparison")
    parser.add_argument("--peer", action="store_true", help="with --socket: fleetgate and tesla-fleet-api in turns")
    parser.add_argument("--turns", type=int, default=2, help="with --peer: turns of each client")
    parser.add_argument("--serve-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_port is not None:
        serve(args.serve_port)
    elif args.peer:
        if not args.socket or args.httpcore:
            parser.error("--peer needs --socket (and compares tesla_client(), so not --httpcore)")
        if not peer_installed():
            sys.exit(PEER_MISSING)
        asyncio.run(compare(args.commands or 500, args.vehicles, args.turns))
    else:
        asyncio.run(
            main(
                args.commands or 1000, args.vehicles, args.uncached_commands, socket=args.socket, httpcore=args.httpcore
            )
        )
