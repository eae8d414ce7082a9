"""`fleetgate telemetry`: the Fleet Telemetry receiver as a process of its own."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer


def telemetry(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default FLEETGATE_TELEMETRY_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default FLEETGATE_TELEMETRY_PORT).")] = None,
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve this receiver's Prometheus metrics on this port (at /metrics).")
    ] = None,
    metrics_host: Annotated[str, typer.Option(help="Interface for --metrics-port.")] = "127.0.0.1",
) -> None:
    """Run the Fleet Telemetry receiver: cars connect over mutual TLS and stream what they were configured to send.

    Needs FLEETGATE_TELEMETRY_CERT_PATH and FLEETGATE_TELEMETRY_KEY_PATH (the certificate cars see, for the public
    hostname in their config) and FLEETGATE_TELEMETRY_VEHICLE_CA_PATH (the CA that issued the cars' certificates).
    """
    from fleetgate.config import Settings
    from fleetgate.features.telemetry.server import serve_until_stopped, tls_of

    settings = Settings()
    tls_of(settings)  # refused settings are reported before anything starts
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Two lines per car connection (thousands when a fleet reconnects at once); the receiver logs what matters.
    logging.getLogger("websockets.server").setLevel(logging.WARNING)
    asyncio.run(
        serve_until_stopped(
            settings,
            host=host or settings.telemetry_host,
            port=settings.telemetry_port if port is None else port,
            metrics_address=(metrics_host, metrics_port) if metrics_port is not None else None,
        )
    )
