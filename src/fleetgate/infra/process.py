"""A process of its own (a worker, a telemetry receiver): its runtime, its metrics endpoint, and its end on a
signal."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prometheus_client import start_http_server

from fleetgate.config import Settings
from fleetgate.infra.runtime import Runtime, open_runtime

Address = tuple[str, int]


@asynccontextmanager
async def process_runtime(
    settings: Settings, metrics_address: Address | None = None
) -> AsyncIterator[tuple[Runtime, asyncio.Event]]:
    """The runtime, and an event set by SIGINT or SIGTERM for the process to stop on. With `metrics_address`, the
    process's Prometheus metrics are served there (`/metrics`, from a thread of prometheus_client's) meanwhile."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    async with open_runtime(settings) as runtime:
        metrics_server = None
        if metrics_address is not None:
            host, port = metrics_address
            metrics_server, _ = start_http_server(port, addr=host, registry=runtime.metrics.registry)
        try:
            yield runtime, stopping
        finally:
            if metrics_server is not None:
                metrics_server.shutdown()
