"""Where the API process announces a committed command (`COMMAND_QUEUED`, heard once its transaction has
committed): its own executor, unless `FLEETGATE_COMMAND_EXECUTOR=worker` leaves commands to `fleetgate worker`
processes; and, on PostgreSQL, every other process's executor through a wake-up (`jobs.wakeups`).

The commands table is the queue whoever runs the commands: each executor claims from it, by the same rules.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

from fleetgate.features.commands.service import COMMAND_QUEUED, Queued
from fleetgate.infra.db.after_commit import listening
from fleetgate.infra.runtime import CommandQueue, Runtime
from fleetgate.jobs.executor import CommandExecutor, command_executor
from fleetgate.jobs.wakeups import listening_for_wakeups, send_wakeup


@dataclass
class Announcer:
    runtime: Runtime
    executor: CommandExecutor | None
    waking: set[asyncio.Task[None]] = field(default_factory=set)

    def queued(self, command_id: str, device_id: str) -> None:
        if self.executor is not None:
            self.executor.notify()
        # Beside the request, which has committed and must not wait for this.
        task = asyncio.create_task(send_wakeup(self.runtime), name=f"wake-up for {command_id}")
        self.waking.add(task)
        task.add_done_callback(self.waking.discard)

    async def drain(self) -> None:
        if self.waking:
            await asyncio.wait(list(self.waking))


@asynccontextmanager
async def command_queue(runtime: Runtime) -> AsyncIterator[CommandQueue]:
    async with AsyncExitStack() as stack:
        executor: CommandExecutor | None = None
        if runtime.settings.command_executor == "in_process":
            executor = await stack.enter_async_context(command_executor(runtime))
            await stack.enter_async_context(listening_for_wakeups(runtime, executor.notify))
        announcer = Announcer(runtime, executor)
        stack.push_async_callback(announcer.drain)

        def announce(queued: Queued) -> None:
            announcer.queued(queued.command_id, queued.device_id)

        stack.enter_context(listening((runtime.sessionmaker, runtime.side_sessionmaker), COMMAND_QUEUED, announce))
        yield announcer
