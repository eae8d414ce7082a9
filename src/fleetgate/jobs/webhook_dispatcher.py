"""The webhook dispatcher: a task of each process that sends due deliveries (see `features.webhooks.dispatch`),
started with the API process's other tasks and in each `fleetgate worker`.

It sleeps until the next delivery is due, at most `webhook_poll_interval_seconds` (0 turns it off), and wakes at
once when a transaction of this process that queued deliveries commits (see `wakeup`); a full batch is followed by
another pass at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fleetgate.features.webhooks import wakeup
from fleetgate.features.webhooks.dispatch import dispatch_due, seconds_until_due
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

    if interval > 0:
        for sessionmaker in (runtime.sessionmaker, runtime.side_sessionmaker):
            wakeup.attach(sessionmaker, runtime.webhook_wakeup)
    passes = Passes("webhook dispatcher", run_pass, interval, log, wake=runtime.webhook_wakeup)
    async with in_background(passes) as task:
        yield task
