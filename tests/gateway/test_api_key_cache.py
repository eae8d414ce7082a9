"""API keys checked lately are not looked up again (`api_key_cache_seconds`), and a revoked key stops working once
that time has passed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from fleetgate.app import create_app
from fleetgate.config import Settings
from fleetgate.infra.db.reads import EngineReader
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import GATEWAY_BASE, make_tenant
from tests.gateway.console_pages import revoke

CACHE_SECONDS = 0.3


async def gateway_with(settings: Settings, sim_app: FastAPI, **changes: Any) -> AsyncIterator[FastAPI]:
    app = create_app(settings.model_copy(update=changes), tesla_transport=httpx.ASGITransport(app=sim_app))
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def cached_app(gateway_settings: Settings, sim_app: FastAPI) -> AsyncIterator[FastAPI]:
    async for app in gateway_with(gateway_settings, sim_app, api_key_cache_seconds=CACHE_SECONDS):
        yield app


def key_lookups(runtime: Runtime) -> list[str]:
    if not isinstance(runtime.reader, EngineReader):
        # psycopg's pool is outside SQLAlchemy's events; the revocation tests show the cache on both databases.
        pytest.skip("statements are counted through SQLAlchemy's events, which the PostgreSQL reader bypasses")
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM api_keys" in statement:
            seen.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", note)
    return seen


async def test_a_key_checked_lately_is_not_looked_up_again(cached_app: FastAPI) -> None:
    async for tenant in make_tenant(cached_app, "Acme"):
        lookups = key_lookups(cached_app.state.runtime)
        for _ in range(5):
            assert (await tenant.client.get("/v1/customers")).status_code == 200
        assert len(lookups) == 1
        await asyncio.sleep(CACHE_SECONDS)
        assert (await tenant.client.get("/v1/customers")).status_code == 200
        assert len(lookups) == 2  # its time passed: checked again


async def test_a_revoked_key_is_refused_once_the_cache_time_has_passed(cached_app: FastAPI) -> None:
    runtime: Runtime = cached_app.state.runtime
    async for tenant in make_tenant(cached_app, "Acme"):
        assert (await tenant.client.get("/v1/customers")).status_code == 200
        await revoke(runtime, tenant.api_key)
        await asyncio.sleep(CACHE_SECONDS)
        refused = await tenant.client.get("/v1/customers")
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthenticated"
        assert "revoked" in refused.json()["error"]["message"]


async def test_without_a_cache_a_revoked_key_is_refused_at_once(gateway_settings: Settings, sim_app: FastAPI) -> None:
    async for app in gateway_with(gateway_settings, sim_app, api_key_cache_seconds=0):
        async for tenant in make_tenant(app, "Acme"):
            assert (await tenant.client.get("/v1/customers")).status_code == 200
            await revoke(app.state.runtime, tenant.api_key)
            assert (await tenant.client.get("/v1/customers")).status_code == 401


async def test_unknown_keys_are_looked_up_every_time_and_never_remembered(cached_app: FastAPI) -> None:
    lookups = key_lookups(cached_app.state.runtime)
    transport = httpx.ASGITransport(app=cached_app)
    async with httpx.AsyncClient(transport=transport, base_url=GATEWAY_BASE) as client:
        for _ in range(3):
            answer = await client.get("/v1/customers", headers={"Authorization": "Bearer fg_00000000_" + "x" * 43})
            assert answer.status_code == 401
    assert len(lookups) == 3
