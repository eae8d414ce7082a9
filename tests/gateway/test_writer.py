"""The writer (`infra.db.writes`): prebuilt statements in one transaction, the same on both databases; on PostgreSQL,
on psycopg's pool, made again only when the connection was lost before anything was written."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from fleetgate.features.commands.reporting import ENDED, Ended
from fleetgate.infra.db.after_commit import listening
from fleetgate.infra.db.writes import Writes
from fleetgate.infra.models import ApiKey, Workspace
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.support.databases import _with_database

RENAME = update(Workspace).where(Workspace.id == bindparam("workspace_id")).values(name=bindparam("new_name"))
NAME_OF = select(Workspace.name).where(Workspace.id == bindparam("workspace_id"))
KEYS_OF = select(ApiKey.id, ApiKey.created_at).where(ApiKey.workspace_id == bindparam("workspace_id"))
# Ends the connection it runs on, as a server restart or `pg_terminate_backend` from elsewhere would.
END_OWN_CONNECTION = text("SELECT pg_terminate_backend(pg_backend_pid())")


async def test_statements_run_in_one_transaction_and_answer_with_their_types(
    gateway_runtime: Runtime, tenant: Tenant
) -> None:
    async def body(writes: Writes) -> tuple[int, object, list[object]]:
        renamed = await writes.execute(RENAME, {"workspace_id": tenant.workspace_id, "new_name": "Renamed"})
        return (
            renamed,
            await writes.scalar(NAME_OF, {"workspace_id": tenant.workspace_id}),
            await writes.rows(KEYS_OF, {"workspace_id": tenant.workspace_id}),
        )

    renamed, name, keys = await gateway_runtime.writer.run(body)

    assert (renamed, name) == (1, "Renamed")
    [(key_id, created_at)] = keys
    assert key_id.startswith("key_")
    assert isinstance(created_at, datetime)
    assert created_at.tzinfo is UTC
    assert await gateway_runtime.reader.first(NAME_OF, {"workspace_id": tenant.workspace_id}) == ("Renamed",)


async def test_a_body_that_raises_writes_nothing_and_announces_nothing(
    gateway_runtime: Runtime, tenant: Tenant
) -> None:
    heard: list[Ended] = []

    async def body(writes: Writes) -> None:
        await writes.execute(RENAME, {"workspace_id": tenant.workspace_id, "new_name": "Never"})
        writes.announce(ENDED, Ended("cmd_x", "honk_horn", "succeeded"))
        raise LookupError("changed its mind")

    with (
        listening([gateway_runtime.sessionmaker, gateway_runtime.side_sessionmaker], ENDED, heard.append),
        pytest.raises(LookupError),
    ):
        await gateway_runtime.writer.run(body)

    assert await gateway_runtime.reader.first(NAME_OF, {"workspace_id": tenant.workspace_id}) == ("Acme Energy",)
    assert heard == []


async def test_what_a_transaction_announces_is_heard_once_it_commits(gateway_runtime: Runtime, tenant: Tenant) -> None:
    heard: list[Ended] = []

    async def body(writes: Writes) -> None:
        writes.announce(ENDED, Ended("cmd_x", "honk_horn", "succeeded"))
        assert heard == []  # not before the commit
        await writes.execute(RENAME, {"workspace_id": tenant.workspace_id, "new_name": "Renamed"})

    with listening([gateway_runtime.sessionmaker, gateway_runtime.side_sessionmaker], ENDED, heard.append):
        await gateway_runtime.writer.run(body)

    assert heard == [Ended("cmd_x", "honk_horn", "succeeded")]


async def test_a_failing_statement_raises_sqlalchemys_error(gateway_runtime: Runtime, tenant: Tenant) -> None:
    async def body(writes: Writes) -> None:
        await writes.execute(RENAME, {"workspace_id": tenant.workspace_id, "new_name": None})

    with pytest.raises(IntegrityError):
        await gateway_runtime.writer.run(body)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_connection_the_server_dropped_is_replaced_and_the_transaction_made_again(
    database_url: str, gateway_runtime: Runtime, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    await gateway_runtime.reader.first(NAME_OF, {"workspace_id": tenant.workspace_id})  # a pooled connection
    name = database_url.rsplit("/", 1)[1]
    async with await psycopg.AsyncConnection.connect(_with_database(database_url, name), autocommit=True) as admin:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )

    async def body(writes: Writes) -> int:
        return await writes.execute(RENAME, {"workspace_id": tenant.workspace_id, "new_name": "Renamed"})

    with caplog.at_level(logging.INFO, logger="fleetgate.db"):
        assert await gateway_runtime.writer.run(body) == 1

    assert "lost before its transaction wrote anything" in caplog.text
    assert await gateway_runtime.reader.first(NAME_OF, {"workspace_id": tenant.workspace_id}) == ("Renamed",)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_connection_lost_after_a_statement_was_answered_is_not_made_again(
    database_url: str, gateway_runtime: Runtime, tenant: Tenant
) -> None:
    runs = 0

    async def body(writes: Writes) -> None:
        nonlocal runs
        runs += 1
        await writes.execute(RENAME, {"workspace_id": tenant.workspace_id, "new_name": "Renamed"})
        await writes.execute(END_OWN_CONNECTION, {})

    with pytest.raises(DBAPIError) as raised:
        await gateway_runtime.writer.run(body)

    assert raised.value.connection_invalidated
    assert runs == 1
    assert await gateway_runtime.reader.first(NAME_OF, {"workspace_id": tenant.workspace_id}) == ("Acme Energy",)
