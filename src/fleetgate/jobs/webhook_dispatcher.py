"""The webhook dispatcher: a task of each process that sends due deliveries (see `features.webhooks.dispatch`),
started with the API process's other tasks and in each `fleetgate worker`.

It sleeps until the next delivery is due, at most `webhook_poll_interval_seconds` (0 turns it off), and wakes at
once when a transaction of this process that queued deliveries commits (`DELIVERIES_QUEUED`); a full batch is
followed by another pass at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fleetgate.features.events.service import DELIVERIES_QUEUED
from fleetgate.features.webhooks.dispatch import dispatch_due, seconds_until_due
from fleetgate.infra.db.after_commit import listening
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.passes import Passes, in_background

log = logging.getLogger("fleetgate.webhooks")


@asynccontextmanager
async def webhook_dispatcher(runtime: Runtime) -> AsyncIterator[asyncio.Task[None] | None]:
    """The dispatcher as a task for the duration of the block (none when `webhook_poll_interval_seconds` is 0)."""
    interval = runtime.settings.webhook_poll_interval_seconds
    limit = runtime.settings.webhook_max_concurrency

    async def run_pass() -> float:
        statuses = await dispatch_due(runtime, limit=limit)
        return 0.0 if len(statuses) >= limit else await seconds_until_due(runtime, interval)

    if interval <= 0:
        yield None
        return
    wake = asyncio.Event()
    with listening((runtime.sessionmaker, runtime.side_sessionmaker), DELIVERIES_QUEUED, lambda _: wake.set()):
        async with in_background(Passes("webhook dispatcher", run_pass, interval, log, wake=wake)) as task:
            yield task
