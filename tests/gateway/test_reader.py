"""The reader (`infra.db.reads`): the same answers and errors on both databases, whichever pool it runs on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, column, select, table
from sqlalchemy.exc import DBAPIError

from fleetgate.infra.models import ApiKey, Workspace
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant

KEYS_OF = (
    select(ApiKey.id, ApiKey.created_at, ApiKey.revoked_at, Workspace.name)
    .join(Workspace, Workspace.id == ApiKey.workspace_id)
    .where(ApiKey.workspace_id == bindparam("workspace_id"))
    .order_by(ApiKey.id)
)
KEY_IDS_OF = select(ApiKey.id).where(ApiKey.workspace_id == bindparam("workspace_id")).order_by(ApiKey.id)


async def test_rows_come_back_with_their_types(gateway_runtime: Runtime, tenant: Tenant) -> None:
    row = await gateway_runtime.reader.first(KEYS_OF, {"workspace_id": tenant.workspace_id})

    assert row is not None
    key_id, created_at, revoked_at, workspace_name = row
    assert key_id.startswith("key_")
    assert created_at.tzinfo is UTC
    assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=5)
    assert revoked_at is None
    assert workspace_name == "Acme Energy"
    assert await gateway_runtime.reader.scalars(KEY_IDS_OF, {"workspace_id": tenant.workspace_id}) == [key_id]


async def test_nothing_found_is_none_and_an_empty_list(gateway_runtime: Runtime, tenant: Tenant) -> None:
    assert await gateway_runtime.reader.first(KEYS_OF, {"workspace_id": "ws_none"}) is None
    assert await gateway_runtime.reader.scalars(KEY_IDS_OF, {"workspace_id": "ws_none"}) == []


async def test_a_failing_statement_raises_sqlalchemys_error(gateway_runtime: Runtime, tenant: Tenant) -> None:
    broken = select(column("id")).select_from(table("no_such_table")).where(column("id") == bindparam("id"))
    with pytest.raises(DBAPIError, match="no_such_table"):
        await gateway_runtime.reader.first(broken, {"id": "x"})
