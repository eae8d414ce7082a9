"""Every socket's records go through one queue to the database: whatever has come in while a transaction was
running is the next transaction (group commit). Under light load a record is stored alone with no added wait; under
heavy load a transaction carries hundreds of records, and the database's pool sees one connection in use instead of
one waiting per socket.

A batch that fails for a record in it (one the database will not take) is stored again in halves, and so on, so
that the bad record fails alone: its socket does not ack it and the car sends it again. A batch that fails because
the database cannot be reached fails whole, at once: its records are not acked, and come again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

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
            if len(batch) == 1 or _database_unreachable(error):
                for _, future in batch:
                    _settle(future, error)
                return
            # Halves, until the record that fails is alone: a few transactions more, not one per record.
            log.warning("telemetry: a batch of %d records failed (%s); storing it in halves", len(batch), error)
            half = len(batch) // 2
            await self._store(batch[:half])
            await self._store(batch[half:])
            return
        self.runtime.metrics.telemetry_batch_records.observe(len(batch))
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            _settle(future, outcome)

    def abandon(self) -> None:
        """What is still waiting fails: the process is stopping."""
        for _, future in self._storing + self._waiting:
            _settle(future, ConnectionError("the receiver is stopping"))
        self._storing, self._waiting = [], []


def _database_unreachable(error: Exception) -> bool:
    """No record is to blame, and none would fare better alone: the connection was lost or none could be had."""
    return isinstance(error, SQLAlchemyTimeoutError) or (isinstance(error, DBAPIError) and error.connection_invalidated)


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
