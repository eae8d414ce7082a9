"""Where the API process announces a committed command: its own executor (the default), or the job engine that
`fleetgate worker` processes take work from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import procrastinate

from fleetgate.infra.runtime import CommandQueue, Runtime
from fleetgate.jobs.engine import defer_command, job_app
from fleetgate.jobs.executor import command_executor


@dataclass
class JobQueue:
    app: procrastinate.App

    async def queued(self, command_id: str, device_id: str) -> None:
        await defer_command(self.app, command_id, device_id)


@asynccontextmanager
async def command_queue(runtime: Runtime) -> AsyncIterator[CommandQueue]:
    if runtime.settings.command_executor == "worker":
        async with job_app(runtime.settings.database_url) as app:
            yield JobQueue(app)
        return
    async with command_executor(runtime) as executor:
        yield executor
