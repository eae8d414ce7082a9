"""Waiting for what happens in its own time (a queued command, a webhook delivery, a server starting): poll until it
is so.

The deadline only keeps a broken test from hanging, it is never a timing assertion: it is generous, for a slow and
shared machine running the suite on every core.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

PATIENCE_SECONDS = 60.0
INTERVAL_SECONDS = 0.05


async def eventually(
    check: Callable[[], Awaitable[T]] | Callable[[], T],
    *,
    until: Callable[[T], object] = bool,
    timeout: float = PATIENCE_SECONDS,
    what: str,
) -> T:
    """Calls `check` (async or not) until `until` holds for what it returns (by default: until that is truthy), and
    answers that. Past `timeout` seconds it fails, naming `what` it waited for and the last value `check` returned.

    An exception from `check` (an unexpected status, say) ends the wait at once: only a value is retried."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if until(value):
            return value
        if loop.time() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}; last seen: {value!r}")
        await asyncio.sleep(INTERVAL_SECONDS)
