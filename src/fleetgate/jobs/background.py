"""The background tasks of an API process, started and stopped with its lifespan: the periodic device sync, the
command executor (or, with `FLEETGATE_COMMAND_EXECUTOR=worker`, the job queue that workers take commands from), the
webhook dispatcher and the retention sweep. A `fleetgate worker` runs its own (see `worker`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.queue import command_queue
from fleetgate.jobs.retention import retention_sweeps
from fleetgate.jobs.sync import periodic_sync
from fleetgate.jobs.webhook_dispatcher import webhook_dispatcher


@asynccontextmanager
async def api_tasks(runtime: Runtime) -> AsyncIterator[None]:
    async with (
        periodic_sync(runtime, runtime.settings.device_sync_interval_seconds),
        command_queue(runtime) as queue,
        webhook_dispatcher(runtime),
        retention_sweeps(runtime),
    ):
        runtime.command_queue = queue
        yield
