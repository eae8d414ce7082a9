"""One call per key at a time in this process, its answer shared by every caller that asks while it runs.

The first caller starts the call as a task of its own, so that a caller that goes away (a client hanging up) does
not cancel it for the others; later callers join the same task. A caller that other keys' calls would serve as well
(a call that reads more than it needs, say) names them too.
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

    def in_flight(self, *keys: K) -> asyncio.Task[V] | None:
        """The call in flight for the first of `keys` that has one."""
        for key in keys:
            flight = self._flights.get(key)
            if flight is not None:
                return flight
        return None

    def join(
        self, key: K, start: Callable[[], Coroutine[Any, Any, V]], *, also: tuple[K, ...] = ()
    ) -> tuple[asyncio.Task[V], bool]:
        """The call in flight for `key`, or else for one of `also`; started now for `key` if there is none. And
        whether this caller started it."""
        flight = self.in_flight(key, *also)
        if flight is not None:
            return flight, False
        flight = self._flights[key] = asyncio.create_task(start())
        flight.add_done_callback(partial(self._landed, key))
        return flight, True

    def _landed(self, key: K, task: asyncio.Task[V]) -> None:
        if self._flights.get(key) is task:
            del self._flights[key]
        if not task.cancelled():
            task.exception()  # retrieved, whoever awaited it: no "never retrieved" warning for a shared failure
