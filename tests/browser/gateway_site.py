"""The gateway and the Tesla simulator on real loopback ports, wired as `fleetgate dev` wires them, for Chromium.

The simulator runs in its own thread (`live_sim`); the gateway runs as a task of the tests' event loop, so a test
reaches its runtime (`LiveGateway.runtime`) to link accounts through the same code the connect callback runs.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import secrets
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from fleetgate.app import create_app
from fleetgate.config import Settings
from fleetgate.features.workspaces.service import create_api_key, create_workspace
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.simulator.factories import SimFactory
from tests.support.live import LiveServer
from tests.support.polling import eventually

WORKSPACE = "Acme Energy"
START_SECONDS = 30.0


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # Ctrl-C belongs to pytest: the server is stopped by the fixture.
        yield


@dataclass
class LiveGateway:
    url: str
    runtime: Runtime
    api_key: str
    workspace_id: str
    api: httpx.AsyncClient  # the gateway's API with the workspace's key
    sim: httpx.AsyncClient  # the simulator, control API and all
    tesla_app: dict[str, Any]

    @property
    def factory(self) -> SimFactory:
        return SimFactory(self.sim)

    @property
    def connect(self) -> Connector:
        """A new simulator account linked for a customer of the workspace, as the gateway tests' `connect` links one."""
        return Connector(self.runtime, self.sim, Tenant(self.workspace_id, self.api_key, self.api), self.tesla_app)


def _loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


async def _started(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    def started() -> bool:
        if task.done():
            task.result()
            raise RuntimeError("the gateway stopped during start-up")
        return server.started

    await eventually(started, timeout=START_SECONDS, what="the gateway to start")


@asynccontextmanager
async def live_gateway(live_sim: LiveServer, data_dir: Path, **settings_update: Any) -> AsyncIterator[LiveGateway]:
    """`settings_update`: settings of a test's own, over these (the telemetry receiver's, say)."""
    sock = _loopback_socket()
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    domain = f"127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=live_sim.url, timeout=30.0) as sim:
        tesla_app = await SimFactory(sim).app(
            name="Acme Energy App", domain=domain, redirect_uris=[f"{url}/connect/callback"], allowed_origins=[url]
        )
        settings = Settings(
            mode="prod",
            public_url=url,
            database_url=f"sqlite+aiosqlite:///{data_dir / 'gateway.db'}",
            encryption_key=base64.b64encode(secrets.token_bytes(32)).decode(),
            tesla=live_sim.url,
            client_id=tesla_app["client_id"],
            client_secret=tesla_app["client_secret"],
            domain=domain,
            private_key_pem=tesla_app["private_key_pem"],
            device_sync_interval_seconds=0,
            # The app's web site, which receives the webhooks, is on loopback too.
            webhook_allow_private_targets=True,
        ).model_copy(update=settings_update)
        app = create_app(settings, tesla_transport=httpx.AsyncHTTPTransport())
        server = _Server(uvicorn.Config(app, lifespan="on", log_level="warning"))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            await _started(server, task)
            runtime: Runtime = app.state.runtime
            async with runtime.sessionmaker() as session, session.begin():
                workspace = await create_workspace(session, WORKSPACE)
                _, key = await create_api_key(session, workspace.id, "console")
            auth = {"Authorization": f"Bearer {key.key}"}
            async with httpx.AsyncClient(base_url=url, headers=auth, timeout=30.0) as api:
                yield LiveGateway(url, runtime, key.key, workspace.id, api, sim, tesla_app)
        finally:
            server.should_exit = True
            await task
            sock.close()
