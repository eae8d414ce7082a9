"""What a process runs beside its requests or jobs, started and stopped with it: for an API process (its lifespan),
the periodic device sync, the command executor (unless `FLEETGATE_COMMAND_EXECUTOR=worker` leaves commands to
`fleetgate worker` processes, see `jobs.worker`), the webhook dispatcher, the retention sweep and the telemetry
config checks. It counts the command ends it commits in its metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fleetgate.features.commands.reporting import counting_ends
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.queue import command_queue
from fleetgate.jobs.retention import retention_sweeps
from fleetgate.jobs.sync import periodic_sync
from fleetgate.jobs.telemetry_checks import telemetry_checks
from fleetgate.jobs.webhook_dispatcher import webhook_dispatcher


@asynccontextmanager
async def api_tasks(runtime: Runtime) -> AsyncIterator[None]:
    with counting_ends(runtime):
        async with (
            periodic_sync(runtime, runtime.settings.device_sync_interval_seconds),
            command_queue(runtime) as queue,
            webhook_dispatcher(runtime),
            retention_sweeps(runtime),
            telemetry_checks(runtime),
        ):
            runtime.command_queue = queue
            yield
