"""Discovering a large Tesla account: seconds and SQL statements per car for the first sync of `--vehicles` cars.

The simulator runs in this process (httpx's ASGI transport), the gateway's Runtime on SQLite in a temporary
directory (or `--database-url`, an empty database). One workspace with two webhook endpoints (so that each
`device.discovered` queues deliveries), one customer, and an account whose tokens come from the simulator's scripted
consent. Then `sync_devices` in one transaction, as the connect callback runs it, timed, with every statement the
engine sends counted. The script fails unless every car was discovered with its event.

Run: `python bench/discovery.py` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from sqlalchemy import event, func, select

from fleetgate.config import Settings
from fleetgate.features.access.scopes import scopes_for
from fleetgate.features.connections.service import link_connection
from fleetgate.features.customers.service import create_customer
from fleetgate.features.devices.discovery import sync_devices
from fleetgate.features.events.types import DEVICE_DISCOVERED
from fleetgate.features.webhooks.schemas import WebhookEndpointIn
from fleetgate.features.webhooks.service import create_endpoint
from fleetgate.features.workspaces.service import create_workspace
from fleetgate.infra.models import Event, WebhookDelivery
from fleetgate.infra.runtime import Runtime, open_runtime
from fleetgate.protocol.keys import public_key_pem, random_private_key
from fleetgate.simulator.app import create_simulator_app
from fleetgate.simulator.world import World
from fleetgate.tesla.oauth import OAuthClient, TokenSet, authorization_request

SIM = "http://sim.test"
GATEWAY = "http://gateway.test"
ACCESS = ["vehicle_data"]
EMAIL = "fleet@example.com"


async def checked(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 300:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text}")
    body: dict[str, Any] = response.json()
    return body


async def seed_account(sim: httpx.AsyncClient, vehicles: int) -> None:
    account = await checked(await sim.post("/sim/accounts", json={"email": EMAIL, "region": "na"}))
    for _ in range(vehicles):
        await checked(await sim.post(f"/sim/accounts/{account['id']}/vehicles", json={}))


async def consent(runtime: Runtime, sim: httpx.AsyncClient) -> TokenSet:
    settings = runtime.settings
    request = authorization_request(
        runtime.endpoints,
        client_id=settings.client_id,
        redirect_uri=settings.callback_url,
        scopes=scopes_for(ACCESS),
    )
    grant = {"login_hint": EMAIL, "sim_grant": " ".join(scopes_for(ACCESS))}
    redirect = await sim.get(f"{request.url}&{urlencode(grant)}")
    code = parse_qs(urlsplit(redirect.headers["location"]).query)["code"][0]
    oauth = OAuthClient(
        runtime.tesla_http, runtime.endpoints, settings.client_id, settings.client_secret.get_secret_value()
    )
    return await oauth.exchange_code(
        code=code,
        redirect_uri=settings.callback_url,
        code_verifier=request.code_verifier,
        audience=runtime.endpoints.base_url("na"),
    )


async def main(vehicles: int, database_url: str) -> None:
    sim_app = create_simulator_app(World(seed=3))
    transport = httpx.ASGITransport(app=sim_app)
    async with sim_app.router.lifespan_context(sim_app), httpx.AsyncClient(transport=transport, base_url=SIM) as sim:
        app = await checked(
            await sim.post("/sim/apps", json={"name": "Bench", "redirect_uris": [f"{GATEWAY}/connect/callback"]})
        )
        key = public_key_pem(random_private_key()).decode()
        partner = {"domain": "bench.example.com", "public_key": key}
        await checked(await sim.post(f"/sim/apps/{app['client_id']}/partner_accounts", json=partner))
        seeding = time.perf_counter()
        await seed_account(sim, vehicles)
        seeded = time.perf_counter() - seeding
        settings = Settings(
            mode="dev",
            public_url=GATEWAY,
            database_url=database_url,
            tesla=SIM,
            client_id=app["client_id"],
            client_secret=app["client_secret"],
            device_sync_interval_seconds=0,
        )
        async with open_runtime(settings, tesla_transport=transport) as runtime:
            async with runtime.sessionmaker() as session, session.begin():
                workspace = await create_workspace(session, "Bench")
                for n in range(2):
                    hook = WebhookEndpointIn(url=f"http://127.0.0.1:9/hook-{n}")
                    await create_endpoint(session, runtime, workspace.id, hook, None)
                customer = await create_customer(session, workspace.id, "fleet-owner")
                workspace_id, customer_id = workspace.id, customer.id
            tokens = await consent(runtime, sim)

            statements = 0

            def count(*_: object) -> None:
                nonlocal statements
                statements += 1

            async with runtime.sessionmaker() as session, session.begin():
                connection = await link_connection(
                    session,
                    runtime,
                    workspace_id=workspace_id,
                    customer_id=customer_id,
                    tokens=tokens,
                    requested_access=ACCESS,
                    connection_id=None,
                )
                await session.flush()
                event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
                started = time.perf_counter()
                report = await sync_devices(session, runtime, connection)
                await session.flush()
                elapsed = time.perf_counter() - started
                event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)

            async with runtime.sessionmaker() as session:
                discovered = select(Event.id).where(Event.type == DEVICE_DISCOVERED)
                events = await session.scalar(select(func.count()).select_from(discovered.subquery()))
                deliveries = await session.scalar(select(func.count()).where(WebhookDelivery.event_id.in_(discovered)))
    if len(report.discovered) != vehicles or events != vehicles or deliveries != 2 * vehicles:
        raise RuntimeError(f"{len(report.discovered)} discovered, {events} events, {deliveries} deliveries")
    print(f"RESULT vehicles={vehicles}")
    print(f"RESULT seed_seconds={seeded:.1f}")
    print(f"RESULT discovery_seconds={elapsed:.2f}")
    print(f"RESULT discovery_ms_per_vehicle={1000 * elapsed / vehicles:.3f}")
    print(f"RESULT statements_per_vehicle={statements / vehicles:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vehicles", type=int, default=2000)
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temporary directory)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fleetgate-bench-") as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        asyncio.run(main(args.vehicles, url))
