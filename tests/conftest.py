from __future__ import annotations

import asyncio
import os
import signal
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from types import FrameType

import httpx
import pytest
from fastapi import FastAPI

from fleetgate.simulator.app import create_simulator_app
from fleetgate.simulator.auth.tokens import TokenIssuer
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.live import LiveServer, serve_in_thread

SIM_BASE = "http://sim.test"


def pytest_configure(config: pytest.Config) -> None:
    signal.signal(signal.SIGUSR1, dump_tasks)


def dump_tasks(_signal: int, _frame: FrameType | None) -> None:
    """`kill -USR1 <pid>` of a test process that seems stuck writes where each of its asyncio tasks waits to
    fleetgate-tasks-<pid>.txt in the temporary directory (its standard error may be captured)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    with (Path(tempfile.gettempdir()) / f"fleetgate-tasks-{os.getpid()}.txt").open("a") as out:
        for task in asyncio.all_tasks(loop):
            print(f"--- {task.get_name()}", file=out)
            task.print_stack(file=out)


@pytest.fixture(scope="session")
def token_issuer() -> TokenIssuer:
    """One RSA signing key for the whole run: generating one per test would dominate the suite's time."""
    return TokenIssuer()


@pytest.fixture
def world(token_issuer: TokenIssuer) -> World:
    return World(seed=7, issuer=token_issuer)


@pytest.fixture
async def sim_app(world: World) -> AsyncIterator[FastAPI]:
    app = create_simulator_app(world)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def sim(sim_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The simulator over httpx's ASGI transport: real HTTP semantics, no socket."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app), base_url=SIM_BASE) as client:
        yield client


@pytest.fixture
def factory(sim: httpx.AsyncClient) -> SimFactory:
    return SimFactory(sim)


@pytest.fixture
def live_sim(world: World) -> LiveServer:
    """The simulator on a real port, for clients that must cross a socket."""
    with serve_in_thread(create_simulator_app(world)) as server:
        yield server  # type: ignore[misc]
