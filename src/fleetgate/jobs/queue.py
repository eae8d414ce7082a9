"""Where the API process announces a committed command (`COMMAND_QUEUED`, heard once its transaction has
committed): its own executor, unless `FLEETGATE_COMMAND_EXECUTOR=worker` leaves commands to `fleetgate worker`
processes. Every other process's executor heard of it from the transaction itself (`jobs.wakeups`).

The commands table is the queue whoever runs the commands: each executor claims from it, by the same rules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from fleetgate.features.commands.service import COMMAND_QUEUED, Queued
from fleetgate.infra.db.after_commit import listening
from fleetgate.infra.runtime import CommandQueue, Runtime
from fleetgate.jobs.executor import CommandExecutor, command_executor
from fleetgate.jobs.wakeups import listening_for_wakeups


@dataclass
class Announcer:
    executor: CommandExecutor | None

    def queued(self, command_id: str, device_id: str) -> None:
        if self.executor is not None:
            self.executor.notify()


@asynccontextmanager
async def command_queue(runtime: Runtime) -> AsyncIterator[CommandQueue]:
    async with AsyncExitStack() as stack:
        executor: CommandExecutor | None = None
        if runtime.settings.command_executor == "in_process":
            executor = await stack.enter_async_context(command_executor(runtime))
            await stack.enter_async_context(listening_for_wakeups(runtime, executor.notify))
        announcer = Announcer(executor)

        def announce(queued: Queued) -> None:
            announcer.queued(queued.command_id, queued.device_id)

        stack.enter_context(listening((runtime.sessionmaker, runtime.side_sessionmaker), COMMAND_QUEUED, announce))
        yield announcer
