"""A submitted command is announced to the process's command queue once its transaction commits: the in-process
executor starts it without waiting for its next poll, and on PostgreSQL every other process hears of it at once
(a wake-up); an API process whose commands go to workers leaves the command queued for them."""

from __future__ import annotations

import psycopg
import pytest

from fleetgate.config import Settings
from fleetgate.infra.db.conninfo import conninfo
from fleetgate.infra.db.notify import COMMANDS_CHANNEL
from fleetgate.infra.runtime import Runtime
from tests.gateway.commands_support import command, submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.support.polling import PATIENCE_SECONDS, eventually

# Longer than `eventually` waits: a command that ran did not wait for a poll.
POLL_SECONDS = 5 * PATIENCE_SECONDS


@pytest.fixture
def gateway_settings(gateway_settings: Settings, request: pytest.FixtureRequest) -> Settings:
    executor = getattr(request, "param", "in_process")
    return gateway_settings.model_copy(update={"command_poll_seconds": POLL_SECONDS, "command_executor": executor})


class TestInProcess:
    async def test_the_executor_starts_a_submitted_command_at_once(
        self, gateway_runtime: Runtime, connect: Connector, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        queued = await submit(tenant.client, car.id, "flash_lights")

        async def succeeded() -> bool:
            return (await command(tenant.client, queued["id"]))["status"] == "succeeded"

        await eventually(succeeded, what="the command to succeed")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("gateway_settings", ["worker"], indirect=True)
class TestWithWorkers:
    async def test_the_api_process_wakes_the_workers_and_leaves_the_command_to_them(
        self, gateway_runtime: Runtime, connect: Connector, tenant: Tenant, database_url: str
    ) -> None:
        car = (await connect(paired=True)).vehicle
        async with await psycopg.AsyncConnection.connect(conninfo(database_url), autocommit=True) as listener:
            await listener.execute(f"LISTEN {COMMANDS_CHANNEL}")
            queued = await submit(tenant.client, car.id, "flash_lights")
            heard = await anext(aiter(listener.notifies(timeout=POLL_SECONDS)))
        assert heard.channel == COMMANDS_CHANNEL
        assert (await command(tenant.client, queued["id"]))["status"] == "queued"
