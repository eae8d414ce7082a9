"""The retention sweep as a task of the API process (see `service`): every `retention_interval_seconds`, 0 for never.
Several processes may each run it; a row is deleted once whoever gets to it first."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.retention import prune

log = logging.getLogger("fleetgate.retention")
# After start-up, the first sweep waits this long (at most): a restart does not begin with a burst of deletes.
FIRST_SWEEP_DELAY_SECONDS = 300.0


async def run_sweeps(runtime: Runtime, interval: float) -> None:
    delay = min(interval, FIRST_SWEEP_DELAY_SECONDS)
    while True:
        await asyncio.sleep(delay)
        delay = interval
        try:
            pruned = await prune(runtime.sessionmaker, runtime.settings, utcnow())
        except Exception:
            log.exception("retention sweep failed; next one in %s s", interval)
            continue
        if pruned.commands or pruned.events or pruned.upstream_calls:
            log.info(
                "retention: deleted %d commands, %d events, %d upstream calls",
                pruned.commands,
                pruned.events,
                pruned.upstream_calls,
            )


@asynccontextmanager
async def retention_sweeps(runtime: Runtime) -> AsyncIterator[None]:
    interval = runtime.settings.retention_interval_seconds
    if interval <= 0:
        yield
        return
    task = asyncio.create_task(run_sweeps(runtime, interval), name="fleetgate.retention")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.wait([task])
