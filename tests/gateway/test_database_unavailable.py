"""When fleetgate's own database fails under a request (here: a lock held past the database's lock timeout), the
answer is a 503 in the API's error shape with a retry remedy, not a bare 500; once the database answers again, so
does the API."""

from __future__ import annotations

import psycopg
import pytest

from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.support.databases import _with_database


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_database_failure_is_a_503_to_retry(database_url: str, tenant: Tenant) -> None:
    name = database_url.rsplit("/", 1)[1]
    conninfo = _with_database(database_url, name)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as admin:
        await admin.execute(f"ALTER DATABASE \"{name}\" SET lock_timeout = '200ms'")
        # The gateway's connections end; those it opens next take the lock timeout.
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        async with await psycopg.AsyncConnection.connect(conninfo) as holder:
            await holder.execute("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE")
            refused = await tenant.client.get("/v1/devices")
            await holder.rollback()
        answered = await tenant.client.get("/v1/devices")

    assert refused.status_code == 503, refused.text
    error = refused.json()["error"]
    assert error["code"] == "database_unavailable"
    assert error["remedy"]["action"] == "retry"
    assert refused.headers["retry-after"] == "1"
    assert answered.status_code == 200


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_connections_the_server_dropped_cost_no_request(
    database_url: str, tenant: Tenant, connect: Connector, gateway_runtime: Runtime
) -> None:
    """The reads every request makes (its API key, a cached state) go through a pool that does not ping its
    connections first: one the server ended is replaced and the read made again."""
    car = (await connect()).vehicle
    path = f"/v1/devices/{car.id}/state?max_age=86400"
    assert (await tenant.client.get(path)).status_code == 200  # read from Tesla, stored
    gateway_runtime.api_keys.ttl_seconds = 0  # every request looks its key up

    name = database_url.rsplit("/", 1)[1]
    async with await psycopg.AsyncConnection.connect(_with_database(database_url, name), autocommit=True) as admin:
        ended = await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert len(await ended.fetchall()) >= 1
    cached = await tenant.client.get(path)

    assert cached.status_code == 200, cached.text
    assert cached.json()["source"] == "cache"
