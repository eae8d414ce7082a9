"""Request bodies over `max_request_bytes` are refused with 413 before authentication, whether their size is
declared (`Content-Length`) or only found out while they stream in (chunked)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from fleetgate.app import create_app
from fleetgate.config import Settings
from tests.gateway.conftest import GATEWAY_BASE, make_tenant

LIMIT = 4096
CHUNK = 1000


@pytest.fixture
async def small_gateway(gateway_settings: Settings, sim_app: FastAPI) -> AsyncIterator[FastAPI]:
    settings = gateway_settings.model_copy(update={"max_request_bytes": LIMIT})
    app = create_app(settings, tesla_transport=httpx.ASGITransport(app=sim_app))
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def anonymous(small_gateway: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=small_gateway), base_url=GATEWAY_BASE) as client:
        yield client


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "request_too_large"
    assert error["remedy"]["max_bytes"] == LIMIT
    assert error["request_id"] == response.headers["x-request-id"]


async def test_a_declared_size_over_the_limit_is_refused_before_authentication(anonymous: httpx.AsyncClient) -> None:
    assert_refused(await anonymous.post("/v1/customers", content=b"x" * (LIMIT + 1)))
    # Under the limit the same request reaches authentication.
    assert (await anonymous.post("/v1/customers", content=b"x" * LIMIT)).status_code == 401


async def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(anonymous: httpx.AsyncClient) -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(1000):
            sent += CHUNK
            yield b"x" * CHUNK

    assert_refused(await anonymous.post("/v1/customers", content=endless()))
    assert sent <= LIMIT + 2 * CHUNK  # read only until it passed the limit


async def test_a_streamed_body_under_the_limit_is_served(small_gateway: FastAPI) -> None:
    body = json.dumps({"reference_id": "streamed", "name": "n" * 100}).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 50):
            yield body[start : start + 50]

    async for tenant in make_tenant(small_gateway, "Streaming"):
        response = await tenant.client.post(
            "/v1/customers", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 201, response.text
        assert response.json()["reference_id"] == "streamed"
        too_big = await tenant.client.post("/v1/customers", json={"reference_id": "big", "name": "n" * LIMIT})
        assert_refused(too_big)
