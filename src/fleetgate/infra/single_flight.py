"""One call per key at a time in this process, its answer shared by every caller that asks while it runs.

The first caller starts the call as a task of its own, so that a caller that goes away (a client hanging up) does
not cancel it for the others; later callers join the same task.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable
from functools import partial
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    def __init__(self) -> None:
        self._flights: dict[K, asyncio.Task[V]] = {}

    def in_flight(self, key: K) -> bool:
        return key in self._flights

    def join(
        self,
        key: K,
        start: Callable[[], Coroutine[Any, Any, V]],
        landed: Callable[[V], None] | None = None,
    ) -> tuple[asyncio.Task[V], bool]:
        """The call in flight for `key`, started now if there is none, and whether this caller started it.
        `landed` sees the answer of a call started here, whoever is still waiting for it."""
        flight = self._flights.get(key)
        if flight is not None:
            return flight, False
        flight = self._flights[key] = asyncio.create_task(start())
        flight.add_done_callback(partial(self._landed, key, landed))
        return flight, True

    def _landed(self, key: K, landed: Callable[[V], None] | None, task: asyncio.Task[V]) -> None:
        if self._flights.get(key) is task:
            del self._flights[key]
        if task.cancelled() or task.exception() is not None:  # exception(): retrieved, whoever awaited it
            return
        if landed is not None:
            landed(task.result())
