"""`fleetgate worker`: a process that runs commands beside others, on this machine or on others, all claiming from
the commands table on PostgreSQL with the same executor as an API process (`jobs.executor`): a device's commands
start one at a time and in submission order whoever claims them, and a worker that dies loses its claims when their
lease runs out (the recovery rules of `commands.lifecycle`). Wake-ups from the API processes (`jobs.wakeups`) start
a command as soon as it is committed; the executor's poll finds retries that come due and anything a lost wake-up
missed. A worker also delivers webhooks.
"""

from __future__ import annotations

import logging

from fleetgate.config import Settings
from fleetgate.features.commands.reporting import counting_ends
from fleetgate.infra.process import Address, process_runtime
from fleetgate.jobs.executor import command_executor
from fleetgate.jobs.wakeups import listening_for_wakeups
from fleetgate.jobs.webhook_dispatcher import webhook_dispatcher

log = logging.getLogger("fleetgate.worker")


async def run_worker(
    settings: Settings, *, concurrency: int | None = None, metrics_address: Address | None = None
) -> None:
    """Until SIGINT or SIGTERM, which let running commands finish for a moment (see `CommandExecutor.stop`). With
    `metrics_address`, this worker's Prometheus metrics are served there (`/metrics`)."""
    async with process_runtime(settings, metrics_address) as (runtime, stopping):
        with counting_ends(runtime):
            async with (
                command_executor(runtime, kind="worker", concurrency=concurrency) as executor,
                listening_for_wakeups(runtime, executor.notify),
                webhook_dispatcher(runtime),
            ):
                log.info("worker %s: running commands from the database", executor.name)
                await stopping.wait()
                log.info("worker %s: stopping", executor.name)
