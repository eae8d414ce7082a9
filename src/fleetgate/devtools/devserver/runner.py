"""Two uvicorn servers in one process and one event loop: the gateway, and the Tesla simulator it talks to; and
beside them the Fleet Telemetry receiver, on a third port with the gateway's runtime, to which the gateway's configs
send the simulator's cars (certificates in `telemetry_pki`).

All listen on real ports, because the flow crosses them as it would in production: the browser goes from the
gateway's hosted page to the simulator's consent page and back, registering the app's domain makes the simulator
download the gateway's public key over HTTP, and cars stream over mutual TLS. The ports are checked before anything
starts, so a port in use is a one-line error rather than a traceback. Port 0 takes a free port (`fleetgate demo` does).

`run()` serves until Ctrl-C; `run(on_ready)` hands the seeded deployment to `on_ready` instead of printing the banner,
and stops the servers once it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.routing import NoMatchFound

from fleetgate.app import create_app
from fleetgate.config import Settings
from fleetgate.devtools.devserver.banner import DevReady, banner
from fleetgate.devtools.devserver.datadir import DataDir, DevIdentity
from fleetgate.devtools.devserver.errors import DevError
from fleetgate.devtools.devserver.seed import register_in_every_region, seed_simulator, seed_workspace
from fleetgate.devtools.devserver.telemetry_pki import TelemetryPki
from fleetgate.features.console.overview import CONSOLE_HOME
from fleetgate.features.telemetry.server import telemetry_receiver
from fleetgate.infra.logs import uvicorn_log_config
from fleetgate.infra.runtime import Runtime
from fleetgate.simulator.app import create_simulator_app
from fleetgate.simulator.partners.service import is_loopback

WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
START_TIMEOUT_SECONDS = 60.0
DEV_TELEMETRY_CHECK_SECONDS = 10
OnReady = Callable[[DevReady], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DevOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    sim_port: int | None = None
    telemetry_port: int | None = None
    data_dir: Path = Path("var")


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The runner handles Ctrl-C once for both servers; each server installing its own handler would replace the
        # other's, and uvicorn re-raises the signal after shutdown, which would end the process with a traceback.
        yield


def url_host(host: str) -> str:
    """The host to put in URLs: listening on every interface is still reached on loopback from this machine."""
    if host in WILDCARD_HOSTS:
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


@dataclass(frozen=True, slots=True)
class TelemetryListener:
    host: str  # what the receiver binds
    hostname: str  # what configs tell cars, which the dev certificate names
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        return f"wss://{host}:{self.port}"


def dev_settings(
    data: DataDir,
    identity: DevIdentity,
    *,
    gateway_url: str,
    simulator_url: str,
    telemetry: TelemetryListener,
    pki: TelemetryPki,
) -> Settings:
    domain = gateway_url.removeprefix("http://")
    return Settings(
        mode="dev",
        public_url=gateway_url,
        database_url=data.database_url,
        # The dev mode's fixed key, so the data directory alone is enough to read its tokens back.
        encryption_key=None,
        tesla=simulator_url,
        client_id=identity.client_id,
        client_secret=identity.client_secret,
        domain=domain,
        private_key_path=data.key_path,
        private_key_pem=None,
        default_audience_region="na",
        request_log=True,
        telemetry_host=telemetry.host,
        telemetry_port=telemetry.port,
        telemetry_cert_path=pki.cert_path,
        telemetry_key_path=pki.key_path,
        telemetry_vehicle_ca_path=pki.vehicle_ca_path,
        telemetry_hostname=telemetry.hostname,
        telemetry_public_port=telemetry.port,
        telemetry_ca_chain_path=pki.ca_path,
        # Tesla (the simulator) asked soon about a new config, so its status turns synced while one watches.
        telemetry_check_interval_seconds=DEV_TELEMETRY_CHECK_SECONDS,
    )


def console_url(app: FastAPI, gateway_url: str) -> str:
    # By the route's name: FastAPI (0.165 on) keeps included routers whole, so `app.routes` lists no console path.
    try:
        return f"{gateway_url}{app.url_path_for(CONSOLE_HOME)}"
    except NoMatchFound:
        return f"{gateway_url}/docs"


def bind_port(host: str, port: int, what: str, option: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host or "0.0.0.0", port))
    except OSError as exc:
        sock.close()
        raise DevError(
            f"cannot listen on {host}:{port} for the {what} ({exc.strerror}); choose another {option}"
        ) from exc
    return sock


async def serve_on(server: uvicorn.Server, sock: socket.socket, what: str) -> None:
    try:
        await server.serve(sockets=[sock])
    except SystemExit as exc:
        # uvicorn exits the process when the app's start-up fails; here that ends this server only, and the
        # runner reports it after stopping the other one.
        raise DevError(f"the {what} failed to start; its error is in the log above") from exc


async def until_started(servers: dict[str, uvicorn.Server], tasks: list[asyncio.Task[None]]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT_SECONDS
    while not all(server.started for server in servers.values()):
        for task in tasks:
            if task.done():
                task.result()  # raises the server's start-up error
                raise DevError(f"{task.get_name()} stopped during start-up")
        if loop.time() > deadline:
            raise DevError(f"the servers did not start within {START_TIMEOUT_SECONDS:.0f} seconds")
        await asyncio.sleep(0.02)


class DevRunner:
    def __init__(self, options: DevOptions, echo: Callable[[str], None]) -> None:
        self.options = options
        self.echo = echo
        self.data = DataDir(options.data_dir)
        if options.host not in WILDCARD_HOSTS and not is_loopback(options.host.strip("[]")):
            raise DevError(
                f"--host {options.host}: the simulator accepts the gateway's domain with a port only on loopback; "
                "use 127.0.0.1, localhost, or 0.0.0.0 (then reached as 127.0.0.1)"
            )
        self.host = url_host(options.host)
        default_sim_port = options.port + 1 if options.port else 0
        self.sim_port = options.sim_port if options.sim_port is not None else default_sim_port
        if options.port and self.sim_port == options.port:
            raise DevError("the simulator needs its own port: --sim-port must differ from --port")
        default_telemetry_port = options.port + 2 if options.port else 0
        self.telemetry_port = options.telemetry_port if options.telemetry_port is not None else default_telemetry_port
        if self.telemetry_port and self.telemetry_port in (options.port, self.sim_port):
            raise DevError("the telemetry receiver needs its own port: --telemetry-port must differ from the others")
        self.receiver = contextlib.AsyncExitStack()
        self.gateway_url = f"http://{self.host}:{options.port}"
        self.simulator_url = f"http://{self.host}:{self.sim_port}"

    async def run(self, on_ready: OnReady | None = None) -> None:
        self.data.prepare()
        key = self.data.app_key()
        identity = self.data.identity()

        with contextlib.ExitStack() as sockets:
            gateway_sock = bind_port(self.options.host, self.options.port, "gateway", "--port")
            sockets.callback(gateway_sock.close)
            sim_sock = bind_port(self.options.host, self.sim_port, "simulator", "--sim-port")
            sockets.callback(sim_sock.close)
            telemetry = self._telemetry_listener()
            pki = TelemetryPki(self.data.telemetry_dir)
            pki.prepare()
            # The URLs (and so the app's domain) name the ports actually bound, which port 0 leaves to the system.
            self.gateway_url = f"http://{self.host}:{gateway_sock.getsockname()[1]}"
            self.simulator_url = f"http://{self.host}:{sim_sock.getsockname()[1]}"
            settings = dev_settings(
                self.data,
                identity,
                gateway_url=self.gateway_url,
                simulator_url=self.simulator_url,
                telemetry=telemetry,
                pki=pki,
            )
            # Explicit transports: the simulator is on loopback, so proxies from the environment must not apply.
            gateway_app = create_app(settings, tesla_transport=httpx.AsyncHTTPTransport())
            sim_app = create_simulator_app(outbound_transport=httpx.AsyncHTTPTransport(), stream_telemetry=True)
            pki.trust_cars_of(sim_app.state.world.car_certificates.authority.cert_pem)
            servers = {"gateway": embedded_server(gateway_app), "simulator": embedded_server(sim_app)}
            self.echo(
                f"Starting the gateway on {self.gateway_url} and the Tesla simulator on {self.simulator_url} "
                f"(data in {self.data.root})"
            )
            tasks = [
                asyncio.create_task(serve_on(servers["gateway"], gateway_sock, "gateway"), name="the gateway"),
                asyncio.create_task(serve_on(servers["simulator"], sim_sock, "simulator"), name="the simulator"),
            ]

            async def start() -> None:
                await until_started(servers, tasks)
                await self._start_receiver(gateway_app.state.runtime, telemetry)
                ready = await self._seed(gateway_app, settings, identity, key, telemetry)
                if on_ready is None:
                    for line in banner(ready):
                        self.echo(line)
                else:
                    await on_ready(ready)

            await self._supervise(servers, tasks, start(), serve_after_start=on_ready is None)

    async def _supervise(
        self,
        servers: dict[str, uvicorn.Server],
        tasks: list[asyncio.Task[None]],
        start: Coroutine[Any, Any, None],
        *,
        serve_after_start: bool,
    ) -> None:
        stop = asyncio.Event()

        def on_signal() -> None:
            if stop.is_set():  # a second Ctrl-C: stop waiting for open connections
                for server in servers.values():
                    server.force_exit = True
            stop.set()
            for server in servers.values():
                server.should_exit = True

        with _signals(on_signal):
            setup = asyncio.create_task(start)
            stopping = asyncio.create_task(stop.wait())
            finished = False
            try:
                await asyncio.wait({setup, stopping, *tasks}, return_when=asyncio.FIRST_COMPLETED)
                if setup.done():
                    setup.result()
                    finished = not serve_after_start
                    if serve_after_start:
                        await asyncio.wait({stopping, *tasks}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                setup.cancel()
                # Before the gateway, whose runtime the receiver writes with.
                await self.receiver.aclose()
                for server in servers.values():
                    server.should_exit = True
                stopping.cancel()
                results = await asyncio.gather(*tasks, return_exceptions=True)
        failures = [result for result in results if isinstance(result, BaseException)]
        if failures:
            raise failures[0]
        if not stop.is_set() and not finished:
            raise DevError("a server stopped on its own; see the log above")
        self.echo("Stopped the gateway, the simulator and the telemetry receiver.")

    def _telemetry_listener(self) -> TelemetryListener:
        """The receiver's port, checked free now so that a port in use is a one-line error like the others'; port 0
        becomes a free port here, since configs must name the real one."""
        host = self.options.host or "0.0.0.0"
        probe = bind_port(host, self.telemetry_port, "telemetry receiver", "--telemetry-port")
        try:
            port = int(probe.getsockname()[1])
        finally:
            probe.close()
        return TelemetryListener(host=host, hostname=self.host.strip("[]"), port=port)

    async def _start_receiver(self, runtime: Runtime, telemetry: TelemetryListener) -> None:
        try:
            await self.receiver.enter_async_context(telemetry_receiver(runtime))
        except OSError as exc:
            raise DevError(
                f"cannot listen on {telemetry.host}:{telemetry.port} for the telemetry receiver ({exc.strerror}); "
                "choose another --telemetry-port"
            ) from exc

    async def _seed(
        self,
        gateway_app: FastAPI,
        settings: Settings,
        identity: DevIdentity,
        key: ec.EllipticCurvePrivateKey,
        telemetry: TelemetryListener,
    ) -> DevReady:
        transport = httpx.AsyncHTTPTransport()
        async with httpx.AsyncClient(transport=transport, base_url=self.simulator_url, timeout=30.0) as http:
            try:
                account = await seed_simulator(
                    http, identity, redirect_uri=settings.callback_url, origin=self.gateway_url, key=key
                )
                registrations = await register_in_every_region(
                    http, settings.tesla_endpoints(), identity, domain=settings.domain, key=key
                )
            except httpx.HTTPError as exc:
                raise DevError(f"seeding the simulator at {self.simulator_url} failed: {exc!r}") from exc
        runtime: Runtime = gateway_app.state.runtime
        workspace = await seed_workspace(runtime.sessionmaker, identity.workspace_id)
        if workspace.workspace_id != identity.workspace_id:
            identity.workspace_id = workspace.workspace_id
            self.data.save_identity(identity)
        return DevReady(
            gateway_url=self.gateway_url,
            simulator_url=self.simulator_url,
            telemetry_url=telemetry.url,
            console_url=console_url(gateway_app, self.gateway_url),
            data_dir=self.data.root,
            domain=settings.domain,
            client_id=identity.client_id,
            regions=tuple(registration.region for registration in registrations),
            workspace=workspace,
            account=account,
        )


def embedded_server(app: Starlette) -> uvicorn.Server:
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5, log_config=uvicorn_log_config()
    )
    return _Server(config)


@contextlib.contextmanager
def _signals(handler: Callable[[], None]) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    previous: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, handler)
            installed.append(sig)
        except NotImplementedError:  # Windows: no loop signal handlers
            previous[sig] = signal.signal(sig, lambda *_: loop.call_soon_threadsafe(handler))
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        for sig, old in previous.items():
            signal.signal(sig, old)


async def run_dev(options: DevOptions, echo: Callable[[str], None], on_ready: OnReady | None = None) -> None:
    await DevRunner(options, echo).run(on_ready)
