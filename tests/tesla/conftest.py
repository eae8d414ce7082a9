from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from fleetgate.tesla.endpoints import TeslaEndpoints
from tests.conftest import SIM_BASE


@pytest.fixture
def endpoints() -> TeslaEndpoints:
    return TeslaEndpoints.simulator(SIM_BASE)


@pytest.fixture
async def tesla_http(sim_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The client's one shared httpx client, its transport the simulator's ASGI app (no base URL: the client builds
    every URL from its endpoints, as it does for Tesla)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app)) as client:
        yield client
