"""The in-process command executor: an asyncio task of the API process that runs queued commands.

Each pass recovers the claims of executors that died (their lease ran out), expires commands that waited past
their `expires_in`, then claims due commands — each its device's oldest, so one device's commands run one at a time
and in order — up to `concurrency` at once across devices. It passes again when a command is submitted in this
process (`notify`), when one of its commands ends, or after `poll_seconds` (commands submitted to other processes,
retries that come due). While commands run, their leases are renewed every third of the lease.

Several processes may each run one on the same database (API processes, and `fleetgate worker` processes, which are
this executor alone): the claims in the table keep them apart, and keep each device's commands in order.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial

from fleetgate.features.commands import lifecycle
from fleetgate.features.commands.runner import run_job
from fleetgate.features.commands.status import TERMINAL
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.passes import Passes, in_background

log = logging.getLogger("fleetgate.commands")


def worker_name(kind: str) -> str:
    return f"{kind}:{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:60]


def log_settled(settled: list[lifecycle.Settled]) -> None:
    """Commands that recovery or expiry ended (not those put back in the queue)."""
    for ended in settled:
        if ended.status in TERMINAL:
            log.info("command %s ended %s without an attempt's outcome", ended.command_id, ended.status)


@dataclass
class CommandExecutor:
    runtime: Runtime
    concurrency: int = 32
    lease_seconds: float = 30.0
    poll_seconds: float = 0.5
    name: str = field(default_factory=lambda: worker_name("executor"))
    running: dict[str, asyncio.Task[object]] = field(default_factory=dict)
    _nudge: asyncio.Event = field(default_factory=asyncio.Event)
    _tidied_at: float = field(default=-math.inf, init=False)
    _renewed_at: float = field(default=-math.inf, init=False)

    def notify(self) -> None:
        self._nudge.set()

    def queued(self, command_id: str, device_id: str) -> None:
        self.notify()

    async def run_pass(self) -> None:
        loop = asyncio.get_running_loop()
        # Recovery and expiry look for what is rare; once a poll interval is often enough, not at every nudge (every
        # submission and every end).
        if loop.time() - self._tidied_at >= self.poll_seconds:
            self._tidied_at = loop.time()
            await self.tidy()
        await self.start_due()
        if loop.time() - self._renewed_at >= self.lease_seconds / 3:
            self._renewed_at = loop.time()
            await lifecycle.renew(self.runtime.sessionmaker, self.name, list(self.running), self.lease_seconds)

    async def tidy(self) -> None:
        now = utcnow()
        ended = await lifecycle.recover(self.runtime.sessionmaker, now) + await lifecycle.expire(
            self.runtime.sessionmaker, now
        )
        log_settled(ended)

    async def start_due(self) -> int:
        """Starts what is due; the number of commands started."""
        sessions = self.runtime.sessionmaker
        now = utcnow()
        free = self.concurrency - len(self.running)
        if free <= 0:
            return 0
        # A device with a running command has nothing due (see `lifecycle.due`): `free` is enough to ask for.
        due = await lifecycle.due(self.runtime.reader, now, free)
        jobs = await lifecycle.claim_many(sessions, due, self.name, self.lease_seconds)
        for job in jobs:
            task = asyncio.create_task(run_job(self.runtime, job, self.name), name=f"command {job.command_id}")
            self.running[job.command_id] = task
            task.add_done_callback(partial(self._done, job.command_id))
        return len(jobs)

    def _done(self, command_id: str, task: asyncio.Task[object]) -> None:
        self.running.pop(command_id, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("command %s: its task failed", command_id, exc_info=task.exception())
        self._nudge.set()

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Lets running commands finish for a moment, then cancels them (their claims are released)."""
        tasks = list(self.running.values())
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=grace_seconds)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)


@asynccontextmanager
async def command_executor(
    runtime: Runtime, *, kind: str = "executor", concurrency: int | None = None
) -> AsyncIterator[CommandExecutor]:
    """The executor as a task for the duration of the block; `kind` starts its name in the commands it claims."""
    settings = runtime.settings
    executor = CommandExecutor(
        runtime,
        concurrency=concurrency or settings.command_concurrency,
        lease_seconds=settings.command_lease_seconds,
        poll_seconds=settings.command_poll_seconds,
        name=worker_name(kind),
    )
    passes = Passes("command executor", executor.run_pass, executor.poll_seconds, log, wake=executor._nudge)
    try:
        async with in_background(passes):
            yield executor
    finally:
        await executor.stop()
