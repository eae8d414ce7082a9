"""A gateway wired to the simulator through httpx's ASGI transport, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from fleetgate.app import create_app
from fleetgate.config import Settings
from fleetgate.features.workspaces.service import create_api_key, create_workspace
from fleetgate.infra.runtime import Runtime
from fleetgate.protocol.keys import private_key_pem
from tests.gateway.documented import recording, undocumented_answers
from tests.gateway.flows import Connector
from tests.simulator.factories import SimFactory
from tests.support.databases import PostgresTemplates, SqliteTemplate, postgres_admin_url

GATEWAY_BASE = "http://gateway.test"
SIM_BASE = "http://sim.test"
APP_DOMAIN = "gateway.test"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    template = SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))
    template.prepare()
    return template


@pytest.fixture(scope="session")
def postgres_templates() -> Iterator[PostgresTemplates]:
    admin_url = postgres_admin_url()
    assert admin_url is not None
    templates = PostgresTemplates(admin_url)
    templates.prepare()
    try:
        yield templates
    finally:
        templates.drop_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_template").fresh(tmp_path)
        return
    templates: PostgresTemplates = request.getfixturevalue("postgres_templates")
    url = templates.fresh()
    try:
        yield url
    finally:
        templates.drop(url)


@pytest.fixture
async def tesla_app(factory: SimFactory) -> dict[str, Any]:
    """The developer's Tesla app as registered with the simulator: redirect URI, domain and key in every region."""
    return await factory.app(
        domain=APP_DOMAIN,
        redirect_uris=[f"{GATEWAY_BASE}/connect/callback"],
        allowed_origins=[GATEWAY_BASE],
        name="Gateway Test App",
    )


@pytest.fixture
def gateway_settings(database_url: str, tesla_app: dict[str, Any]) -> Settings:
    return Settings(
        mode="prod",
        public_url=GATEWAY_BASE,
        database_url=database_url,
        encryption_key=base64.b64encode(secrets.token_bytes(32)).decode(),
        tesla=SIM_BASE,
        client_id=tesla_app["client_id"],
        client_secret=tesla_app["client_secret"],
        domain=APP_DOMAIN,
        private_key_pem=private_key_pem(tesla_app["private_key"]).decode(),
        # Tests run a sync pass when they mean to; a background one would make their counts depend on timing.
        device_sync_interval_seconds=0,
    )


@pytest.fixture
async def gateway_app(gateway_settings: Settings, sim_app: FastAPI) -> AsyncIterator[FastAPI]:
    app = create_app(gateway_settings, tesla_transport=httpx.ASGITransport(app=sim_app))
    async with app.router.lifespan_context(app):
        yield app
    # Every answer the test got from the API must be one its OpenAPI document lists for that operation.
    undocumented = undocumented_answers(app)
    assert not undocumented, f"answers the OpenAPI document does not list: {undocumented}"


@pytest.fixture
def gateway_runtime(gateway_app: FastAPI) -> Runtime:
    runtime: Runtime = gateway_app.state.runtime
    return runtime


@pytest.fixture
async def gateway(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway without credentials (hosted pages, public key, health)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=recording(gateway_app)), base_url=GATEWAY_BASE
    ) as client:
        yield client


@dataclass
class Tenant:
    workspace_id: str
    api_key: str
    client: httpx.AsyncClient


async def make_tenant(app: FastAPI, name: str) -> AsyncIterator[Tenant]:
    runtime: Runtime = app.state.runtime
    async with runtime.sessionmaker() as session, session.begin():
        workspace = await create_workspace(session, name)
        _, key = await create_api_key(session, workspace.id, "tests")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=recording(app)),
        base_url=GATEWAY_BASE,
        headers={"Authorization": f"Bearer {key.key}"},
    ) as client:
        yield Tenant(workspace.id, key.key, client)


@pytest.fixture
async def tenant(gateway_app: FastAPI) -> AsyncIterator[Tenant]:
    async for tenant in make_tenant(gateway_app, "Acme Energy"):
        yield tenant


@pytest.fixture
async def other_tenant(gateway_app: FastAPI) -> AsyncIterator[Tenant]:
    async for tenant in make_tenant(gateway_app, "Someone Else"):
        yield tenant


@pytest.fixture
def api(tenant: Tenant) -> httpx.AsyncClient:
    """The gateway's API with the tenant's key."""
    return tenant.client


@pytest.fixture
def connect(gateway_runtime: Runtime, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]) -> Connector:
    """A new Tesla account linked for a customer of the tenant (or of `tenant=`), as the connect callback links one:
    `linked = await connect(vehicles=[{"state": "asleep"}], energy_sites=1, grant=["vehicle_data"])`, then
    `linked.connection_id`, `linked.vehicle.id`, `linked.device_id(vin)`. See `Connector`."""
    return Connector(gateway_runtime, sim, tenant, tesla_app)
