"""What a process runs beside its requests or jobs, started and stopped with it: for an API process (its lifespan),
the periodic device sync, the command executor (or, with `FLEETGATE_COMMAND_EXECUTOR=worker`, the job queue that
workers take commands from), the webhook dispatcher and the retention sweep; for a `fleetgate worker`, its
housekeeping and the webhook dispatcher. Both count the command ends they commit in their metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fleetgate.features.commands.reporting import counting_ends
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.passes import Passes, in_background
from fleetgate.jobs.queue import command_queue
from fleetgate.jobs.retention import retention_sweeps
from fleetgate.jobs.sync import periodic_sync
from fleetgate.jobs.webhook_dispatcher import webhook_dispatcher


@asynccontextmanager
async def api_tasks(runtime: Runtime) -> AsyncIterator[None]:
    with counting_ends(runtime):
        async with (
            periodic_sync(runtime, runtime.settings.device_sync_interval_seconds),
            command_queue(runtime) as queue,
            webhook_dispatcher(runtime),
            retention_sweeps(runtime),
        ):
            runtime.command_queue = queue
            yield


@asynccontextmanager
async def worker_tasks(runtime: Runtime, housekeeping: Passes) -> AsyncIterator[None]:
    with counting_ends(runtime):
        async with in_background(housekeeping), webhook_dispatcher(runtime):
            yield
