"""The receiver's server: HTTPS with mutual TLS, `GET /status` answering "mtls ok", `/` upgraded to a car's
WebSocket (`receiver.Receiver`). Built when it starts (`running_receiver`), not at import, by `fleetgate telemetry`
alone or beside the gateway (`telemetry_receiver`, with the process's runtime).

TLS requires a client certificate and verifies it against the configured CA bundle: Tesla's vehicle CA in
production, the simulator's CA in dev and tests. Keep that bundle to the CAs cars use: a car may send no certificate
when the server names a very large set of acceptable CAs (fleet-telemetry issue 395).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from fleetgate.config import Settings, SettingsError
from fleetgate.features.telemetry.brokers import BrokerSettings, open_publisher
from fleetgate.features.telemetry.ingest_queue import running_queue
from fleetgate.features.telemetry.receiver import Receiver
from fleetgate.infra.process import Address, process_runtime
from fleetgate.infra.runtime import Runtime

log = logging.getLogger("fleetgate.telemetry")

# Tesla's server refuses larger messages; websockets closes the socket with 1009 (message too big).
MAX_MESSAGE_BYTES = 1024 * 1024


def vehicle_tls(cert_path: Path, key_path: Path, vehicle_ca_path: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_path, key_path)
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cafile=vehicle_ca_path)
    return context


def tls_of(settings: Settings) -> ssl.SSLContext:
    cert, key, vehicle_ca = (
        settings.telemetry_cert_path,
        settings.telemetry_key_path,
        settings.telemetry_vehicle_ca_path,
    )
    if cert is None or key is None or vehicle_ca is None:
        names = {"CERT_PATH": cert, "KEY_PATH": key, "VEHICLE_CA_PATH": vehicle_ca}
        missing = ", ".join(f"FLEETGATE_TELEMETRY_{name}" for name, path in names.items() if path is None)
        raise SettingsError(f"The telemetry receiver needs {missing}.")
    try:
        return vehicle_tls(cert, key, vehicle_ca)
    except (OSError, ssl.SSLError) as exc:
        raise SettingsError(f"The telemetry receiver's certificate, key or vehicle CA cannot be used: {exc}") from exc


def _route(connection: ServerConnection, request: Request) -> Response | None:
    """`/status` answered here, `/` left to the WebSocket handshake, anything else 404."""
    if request.path == "/status":
        return connection.respond(HTTPStatus.OK, "mtls ok")
    if request.path.split("?", 1)[0] != "/":
        return connection.respond(HTTPStatus.NOT_FOUND, "not found")
    return None


@dataclass
class RunningReceiver:
    receiver: Receiver
    server: Server

    @property
    def port(self) -> int:
        port: int = next(iter(self.server.sockets)).getsockname()[1]
        return port


@asynccontextmanager
async def running_receiver(
    runtime: Runtime, tls: ssl.SSLContext, *, host: str, port: int, brokers: BrokerSettings | None = None
) -> AsyncIterator[RunningReceiver]:
    """Listens until the block ends (port 0: one the OS picks, see `RunningReceiver.port`); publishes to the brokers
    of the settings, or of `brokers`."""
    publishing = open_publisher(brokers or BrokerSettings.of(runtime.settings), runtime.metrics)
    # The publisher and the queue outlive the server: the cars' sockets close first (their closes recorded through
    # the queue), then what is buffered gets its last try.
    async with publishing as publisher, running_queue(runtime) as queue:
        receiver = Receiver(runtime, queue, publisher)
        async with serve(
            receiver.handle,
            host,
            port,
            ssl=tls,
            process_request=_route,
            max_size=MAX_MESSAGE_BYTES,
            compression=None,
        ) as server:
            heartbeats = asyncio.create_task(receiver.heartbeats(), name="telemetry heartbeats")
            try:
                yield RunningReceiver(receiver, server)
            finally:
                heartbeats.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeats


@asynccontextmanager
async def telemetry_receiver(runtime: Runtime) -> AsyncIterator[RunningReceiver]:
    """The receiver as the settings describe it, for a process that already has its runtime (`fleetgate dev`)."""
    settings = runtime.settings
    async with running_receiver(
        runtime, tls_of(settings), host=settings.telemetry_host, port=settings.telemetry_port
    ) as running:
        yield running


async def serve_until_stopped(settings: Settings, *, host: str, port: int, metrics_address: Address | None) -> None:
    """`fleetgate telemetry`: the receiver alone, with a runtime of its own, until SIGINT or SIGTERM; then the cars'
    sockets are closed (they reconnect, to another receiver behind the load balancer) and their streams recorded as
    closed. With `metrics_address`, its Prometheus metrics are served there (`/metrics`)."""
    tls = tls_of(settings)
    async with (
        process_runtime(settings, metrics_address) as (runtime, stopping),
        running_receiver(runtime, tls, host=host, port=port) as running,
    ):
        log.info("telemetry receiver listening on %s:%d", host, running.port)
        await stopping.wait()
        log.info("telemetry receiver stopping")
