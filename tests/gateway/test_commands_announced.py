"""A submitted command is announced to the process's command queue once its transaction commits: the in-process
executor starts it without waiting for its next poll, and an API process whose commands go to workers defers the
command's job (no worker runs here, and only workers defer jobs for commands that have none)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from fleetgate.config import Settings
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
    async def test_the_api_process_defers_the_commands_job(
        self, gateway_runtime: Runtime, connect: Connector, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        queued = await submit(tenant.client, car.id, "flash_lights")

        async def jobs() -> list[str]:
            async with gateway_runtime.sessionmaker() as session:
                found = await session.scalars(
                    text("SELECT status::text FROM procrastinate_jobs WHERE queueing_lock = :lock"),
                    {"lock": f"command:{queued['id']}"},
                )
                return list(found)

        assert await eventually(jobs, what="the command's job") == ["todo"]
