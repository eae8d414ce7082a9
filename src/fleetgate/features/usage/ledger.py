"""The usage ledger: every call made to the Fleet API for a connection, one row in `upstream_calls`.

`Meter` is wired into a connection's `FleetSession` (see `connections.fleet`). Before each attempt (retries after
421 and 401 included) it inserts the call's row with no status yet, billed if its category is (it may reach
Tesla from now on), reserving a budget slot for the device (see `budgets`); `on_response` notes the status, written
with the next attempt or when `fleet_api`'s block ends (`settle`), in the same short transaction — for a command,
in the transaction that writes its outcome (`write_in`) — and the answer decides whether it is billed. A call that
got no answer keeps no status and stays billed, also when the process dies waiting for it; only a request that
never left (`on_unsent`) is not billed.

The rows are written in side transactions of prebuilt statements (`infra.db.writes`, `side_transactions.run_aside`),
so they stay when the request that made the calls ends in an error and rolls back; when the request already holds
the lock they would wait for, they join its transaction in a savepoint. On PostgreSQL that transaction then also
holds the device's budget lock until it ends.

A caller may give the meter a rider: work written in each reservation's transaction, committed with the row just
before the call leaves (a command's mark that it was sent). A rider that raises `CallWithdrawn` undoes the
reservation and stops the call.

A call is made only once its row is written: when the ledger cannot be written (the database is failing), the call
is not made and fails as not sent, which a command retries. Writing the answers afterwards never fails a call: a
row whose answer could not be written stays billed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.usage.budgets import DEFAULT_BUDGETS, HOLD, Budgets, OverBudget, lock_device, refusal
from fleetgate.features.usage.categories import CallKind, classify, is_billable
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.side_transactions import run_aside
from fleetgate.infra.db.writes import Body, Writes, insert_of
from fleetgate.infra.models import Connection, Device, UpstreamCall
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.tesla.errors import RateLimited, UpstreamError

log = logging.getLogger("fleetgate.usage")
# Tesla answers these before it takes the call; `FleetSession` then refreshes the token or follows the region and
# sends the same call again, which is the one Tesla serves (and bills).
REFUSED_BEFORE_SERVING = frozenset({401, 421})

# Every call to Tesla writes its row and its answer: statements built once, on the table (no unit of work).
_CALLS = cast(Table, UpstreamCall.__table__)
_ROW_COLUMNS = (
    "id",
    "workspace_id",
    "connection_id",
    "device_id",
    "device_key",
    "category",
    "method",
    "endpoint",
    "status",
    "billable",
    "at",
)
INSERT_CALL = insert_of(_CALLS, _ROW_COLUMNS)
DELETE_CALL = delete(_CALLS).where(_CALLS.c.id == bindparam("call_id"))
ANSWER_CALL = (
    update(_CALLS)
    .where(_CALLS.c.id == bindparam("call_id"))
    .values(status=bindparam("answer_status"), billable=bindparam("answer_billable"))
)
DEVICE_ID = select(Device.id).where(
    Device.connection_id == bindparam("connection_id"), Device.external_id == bindparam("device_key")
)
T = TypeVar("T")


class CallWithdrawn(Exception):
    """Raised by a rider (see `Meter`) to stop the call it rode on: the reservation is undone, nothing is sent, and
    the exception reaches the caller as it is."""


# Work written in the transaction that reserves a call, just before the call leaves (a command's mark that it was
# sent, say, which would otherwise take a transaction of its own).
Rider = Callable[[Writes], Awaitable[None]]


@dataclass(slots=True)
class CallAnswer:
    call_id: str
    kind: CallKind
    method: str
    path: str
    status: int | None  # None: the request never left
    billable: bool


class Meter:
    """The ledger and budgets of one `FleetSession`: one connection, for one request or job."""

    def __init__(
        self,
        runtime: Runtime,
        connection: Connection,
        caller: AsyncSession | None = None,
        budgets: Budgets = DEFAULT_BUDGETS,
        devices: Iterable[Device] = (),
        rider: Rider | None = None,
    ) -> None:
        self._runtime = runtime
        self._rider = rider
        self._caller = caller
        self._budgets = budgets
        self.workspace_id = connection.workspace_id
        self.connection_id = connection.id
        # Device keys (VIN, site id) to device ids; those the caller knows need no lookup.
        self._device_ids: dict[str, str | None] = {
            device.external_id: device.id for device in devices if device.connection_id == connection.id
        }
        self._answers: dict[str, CallAnswer] = {}
        self._last: CallAnswer | None = None
        self.error: BaseException | None = None  # what ended the calls, for a 429's `Retry-After`
        # Calls sent and waiting for their answer, by (method, path): a session may carry calls side by side.
        self._pending: dict[tuple[str, str], list[tuple[str, CallKind]]] = {}
        # The caller's session must not be used by two coroutines at once; a lock for the meter's own rows too.
        self._lock = asyncio.Lock()

    async def before_request(self, method: str, path: str) -> None:
        kind = classify(method, path)
        last = self._last
        if (
            last is not None
            and last.status in REFUSED_BEFORE_SERVING
            and (last.method, last.path) == (method.upper(), path)
        ):
            last.billable = False

        async def reserve(writes: Writes) -> tuple[list[str], str | OverBudget]:
            written = await self._write_answers(writes, None)
            reserved = await self._reserve(writes, kind, method)
            if not isinstance(reserved, OverBudget) and self._rider is not None:
                await self._rider(writes)
            return written, reserved

        try:
            async with self._lock:
                written, reserved = await self._aside(reserve)
            self._forget(written)
        except CallWithdrawn:
            raise
        except Exception as exc:
            # A call Tesla may bill is made only once the ledger holds it: without its row it would be billed and
            # never counted. Nothing has left yet, so the caller may try again.
            log.warning("usage ledger: could not record %s %s", method, kind.endpoint, exc_info=True)
            raise UpstreamError.not_sent("the usage ledger could not record the call; nothing was sent") from exc
        if isinstance(reserved, OverBudget):
            raise reserved
        # Awaited only once its row is written: a reservation undone (withdrawn, or its commit failed) gets no answer.
        self._pending.setdefault((method.upper(), path), []).append((reserved, kind))

    def on_unsent(self, method: str, path: str) -> None:
        waiting = self._pending.get((method.upper(), path))
        if not waiting:
            return
        call_id, kind = waiting.pop(0)
        answer = CallAnswer(call_id, kind, method.upper(), path, None, billable=False)
        self._answers[call_id] = answer
        self._last = answer

    def on_response(self, method: str, path: str, status: int) -> None:
        waiting = self._pending.get((method.upper(), path))
        if not waiting:
            return  # not reserved (the ledger could not be written): nothing to complete
        call_id, kind = waiting.pop(0)
        self._runtime.metrics.upstream_calls.labels(kind.category or "none", str(status)).inc()
        answer = CallAnswer(call_id, kind, method.upper(), path, status, is_billable(status) and bool(kind.category))
        self._answers[call_id] = answer
        self._last = answer

    async def settle(self, error: BaseException | None = None) -> None:
        """Writes the answers not written yet; a 429 from Tesla becomes a hold for its `Retry-After`. Calls still
        waiting got no answer (a timeout, a lost connection): their rows keep no status and stay billed."""
        self.end(error)
        if not self._answers:
            return

        async def answer(writes: Writes) -> list[str]:
            return await self._write_answers(writes, self.error)

        try:
            async with self._lock:
                written = await self._aside(answer)
            self._forget(written)
        except Exception:
            log.warning("usage ledger: could not record the answers of %s", self.connection_id, exc_info=True)

    def end(self, error: BaseException | None = None) -> None:
        """No more calls: `settle` writes what is left in a transaction of its own, or `write_in` in the caller's
        (the command's outcome, say, saving a transaction). Until then the calls count as billed."""
        self._pending.clear()
        self.error = error

    async def write_in(self, writes: Writes) -> None:
        """`settle`'s writes in the caller's transaction, which fails with them (and may then write them again)."""
        async with self._lock:
            await self._write_answers(writes, self.error)

    # -- writing -------------------------------------------------------------------------------------------

    async def _aside(self, body: Body[T]) -> T:
        # Run twice when its connection was lost (`Writer.run`): a reservation then may count twice, never not at all.
        return await run_aside(self._runtime.writer, self._caller, self.connection_id, body)

    async def _reserve(self, writes: Writes, kind: CallKind, method: str) -> str | OverBudget:
        """The call's id, or why it may not be made (then nothing is reserved)."""
        now = utcnow()
        call = await self._row(writes, kind, method=method.upper()[:8], status=None, at=now)
        call["billable"] = kind.category is not None
        budget = self._budget_of(kind)
        if budget is not None:
            await lock_device(writes, budget[0])
        # Inserting first also takes SQLite's write lock, so the count below cannot race another reservation.
        await writes.execute(INSERT_CALL, call)
        if budget is not None:
            device_key, category = budget
            refused = await refusal(
                writes, self._budgets, device_key=device_key, category=category, reservation_id=call["id"], now=now
            )
            if refused is not None:
                await writes.execute(DELETE_CALL, {"call_id": call["id"]})
                return refused
        return str(call["id"])

    async def _write_answers(self, writes: Writes, error: BaseException | None) -> list[str]:
        answers = list(self._answers.values())
        for answer in answers:
            await writes.execute(
                ANSWER_CALL,
                {"call_id": answer.call_id, "answer_status": answer.status, "answer_billable": answer.billable},
            )
            if answer.status == 429 and self._budget_of(answer.kind) is not None:
                await self._hold(writes, answer, self._retry_after(answer, error))
        return [answer.call_id for answer in answers]

    def _retry_after(self, answer: CallAnswer, error: BaseException | None) -> timedelta:
        # Tesla's `Retry-After` reaches us in the error raised for the last answer; without it, a full window.
        if answer is self._last and isinstance(error, RateLimited) and not isinstance(error, OverBudget):
            return timedelta(seconds=max(0.0, error.retry_after))
        return self._budgets.window

    async def _hold(self, writes: Writes, answer: CallAnswer, retry_after: timedelta) -> None:
        await writes.execute(
            INSERT_CALL, await self._row(writes, answer.kind, method=HOLD, status=429, at=utcnow() + retry_after)
        )

    async def _row(
        self, writes: Writes, kind: CallKind, *, method: str, status: int | None, at: datetime
    ) -> dict[str, Any]:
        """A ledger row's values (for `INSERT_CALL`), not billable until its answer says so."""
        return {
            "id": new_id("call"),
            "workspace_id": self.workspace_id,
            "connection_id": self.connection_id,
            "device_id": await self._device_id(writes, kind.device_key),
            "device_key": kind.device_key,
            "category": kind.category,
            "method": method,
            "endpoint": kind.endpoint,
            "status": status,
            "billable": False,
            "at": at,
        }

    def _budget_of(self, kind: CallKind) -> tuple[str, str] | None:
        """(device key, category) of a call with a budget; unbilled and account-level calls have none."""
        if kind.device_key is None or kind.category is None or self._budgets.limit(kind.category) is None:
            return None
        return kind.device_key, kind.category

    def _forget(self, written: list[str]) -> None:
        for call_id in written:
            self._answers.pop(call_id, None)

    async def _device_id(self, writes: Writes, device_key: str | None) -> str | None:
        if device_key is None:
            return None
        if device_key not in self._device_ids:
            self._device_ids[device_key] = await writes.scalar(
                DEVICE_ID, {"connection_id": self.connection_id, "device_key": device_key}
            )
        return self._device_ids[device_key]
