"""A background task of a process that runs passes: one every `interval` seconds (the first after `first_delay`),
sooner when `wake` is set (whoever has work for it sets it), or when the pass itself answers how many seconds it
wants until the next one. A pass that fails is logged under the task's name; the next one comes after `interval`.

The task lives for the duration of a block (`in_background`); an interval of 0 turns it off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

# What a pass answers: the seconds until the next pass, or None for the task's interval.
Pass = Callable[[], Awaitable[float | None]]


@dataclass(frozen=True, slots=True)
class Passes:
    name: str
    run_pass: Pass
    interval: float
    log: logging.Logger
    first_delay: float = 0.0
    wake: asyncio.Event | None = None

    async def run(self) -> None:
        delay = self.first_delay
        while True:
            if delay > 0:
                await self._wait(delay)
            if self.wake is not None:
                # Cleared before the pass: work announced during it sets the event again, so the next wait ends at
                # once.
                self.wake.clear()
            try:
                wanted = await self.run_pass()
            except Exception:
                self.log.exception("%s: the pass failed; next one in %s s", self.name, self.interval)
                wanted = None
            delay = self.interval if wanted is None else wanted

    async def _wait(self, seconds: float) -> None:
        if self.wake is None:
            await asyncio.sleep(seconds)
            return
        # `asyncio.timeout`, not `wait_for`: on Python 3.11 `wait_for` drops a cancellation that arrives as the event
        # fires, and the task would run on after being told to stop.
        with suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self.wake.wait()


@asynccontextmanager
async def in_background(passes: Passes) -> AsyncIterator[asyncio.Task[None] | None]:
    """The passes as a task for the duration of the block (none when the interval is 0)."""
    if passes.interval <= 0:
        yield None
        return
    task = asyncio.create_task(passes.run(), name=f"fleetgate {passes.name}")
    try:
        yield task
    finally:
        task.cancel()
        # `wait` neither raises the task's cancellation here nor swallows one aimed at us.
        await asyncio.wait([task])


def warn_step_failed(log: logging.Logger, step: str, exc: Exception) -> None:
    """A pass's step that failed, logged so that the pass goes on to the next: an error of Tesla's or of the API by
    what it says of itself, anything else with its traceback."""
    reason = getattr(exc, "reason", None) or getattr(exc, "message", None)
    log.warning("%s: %s", step, reason or exc, exc_info=reason is None)
