"""Every socket's records go through one queue to the database: whatever has come in while a transaction was
running is the next transaction (group commit). Under light load a record is stored alone with no added wait; under
heavy load a transaction carries hundreds of records, and the database's pool sees one connection in use instead of
one waiting per socket.

A batch the database refuses (a lost connection, a deadlock, a record it will not take) is stored again one record
per transaction, so that one bad record fails only itself: its socket does not ack it and the car sends it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fleetgate.features.telemetry.ingest import Incoming, Ingested, ingest
from fleetgate.infra.runtime import Runtime

log = logging.getLogger("fleetgate.telemetry")

MOST_PER_BATCH = 500
Waiting = tuple[Incoming, "asyncio.Future[Ingested]"]


class IngestQueue:
    def __init__(self, runtime: Runtime, *, most_per_batch: int = MOST_PER_BATCH) -> None:
        self.runtime = runtime
        self.most_per_batch = most_per_batch
        self._waiting: list[Waiting] = []
        self._storing: list[Waiting] = []
        self._arrived = asyncio.Event()

    async def store(self, item: Incoming) -> Ingested:
        """Once the item's transaction has committed; raises what made it fail."""
        future: asyncio.Future[Ingested] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        self._arrived.set()
        return await future

    async def run(self) -> None:
        """Stores batches until cancelled."""
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            while self._waiting:
                self._storing = self._waiting[: self.most_per_batch]
                del self._waiting[: self.most_per_batch]
                await self._store(self._storing)
                self._storing = []

    async def _store(self, batch: list[Waiting]) -> None:
        try:
            outcomes = await ingest(self.runtime, [item for item, _ in batch])
        except Exception as error:
            if len(batch) == 1:
                _settle(batch[0][1], error)
                return
            log.warning("telemetry: a batch of %d records failed (%s); storing them one by one", len(batch), error)
            for one in batch:
                await self._store([one])
            return
        self.runtime.metrics.telemetry_batch_records.observe(len(batch))
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            _settle(future, outcome)

    def abandon(self) -> None:
        """What is still waiting fails: the process is stopping."""
        for _, future in self._storing + self._waiting:
            _settle(future, ConnectionError("the receiver is stopping"))
        self._storing, self._waiting = [], []


def _settle(future: asyncio.Future[Ingested], outcome: Ingested | Exception) -> None:
    if future.done():  # its socket closed meanwhile
        return
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


@contextlib.asynccontextmanager
async def running_queue(runtime: Runtime) -> AsyncIterator[IngestQueue]:
    queue = IngestQueue(runtime)
    task = asyncio.create_task(queue.run(), name="telemetry ingest")
    try:
        yield queue
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        queue.abandon()
