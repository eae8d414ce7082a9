"""Where the API process announces a committed command: its own executor (the default), or the job engine that
`fleetgate worker` processes take work from. The queue listens for the commands this process's transactions queue
(`COMMAND_QUEUED`), and hears of each once its transaction has committed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import procrastinate

from fleetgate.features.commands.service import COMMAND_QUEUED, Queued
from fleetgate.infra.db.after_commit import listening
from fleetgate.infra.runtime import CommandQueue, Runtime
from fleetgate.jobs.engine import defer_command, job_app
from fleetgate.jobs.executor import command_executor

log = logging.getLogger("fleetgate.jobs")


@dataclass
class JobQueue:
    app: procrastinate.App
    deferring: set[asyncio.Task[None]] = field(default_factory=set)

    def queued(self, command_id: str, device_id: str) -> None:
        # Beside the request, which has committed and must not fail because of this.
        task = asyncio.create_task(self.defer(command_id, device_id), name=f"defer {command_id}")
        self.deferring.add(task)
        task.add_done_callback(self.deferring.discard)

    async def defer(self, command_id: str, device_id: str) -> None:
        try:
            await defer_command(self.app, command_id, device_id)
        except Exception:
            # The command stays queued; a worker's housekeeping defers a job for it (see `Worker.tidy`).
            log.exception("command %s: its job could not be deferred; a worker will defer one", command_id)

    async def drain(self) -> None:
        """Waits for the defers under way, before the job engine's connections close."""
        if self.deferring:
            await asyncio.wait(list(self.deferring))


@asynccontextmanager
async def command_queue(runtime: Runtime) -> AsyncIterator[CommandQueue]:
    async with _queue(runtime) as queue:

        def announce(queued: Queued) -> None:
            queue.queued(queued.command_id, queued.device_id)

        with listening((runtime.sessionmaker, runtime.side_sessionmaker), COMMAND_QUEUED, announce):
            yield queue


@asynccontextmanager
async def _queue(runtime: Runtime) -> AsyncIterator[CommandQueue]:
    if runtime.settings.command_executor == "worker":
        async with job_app(runtime.settings.database_url) as app:
            queue = JobQueue(app)
            try:
                yield queue
            finally:
                await queue.drain()
        return
    async with command_executor(runtime) as executor:
        yield executor
