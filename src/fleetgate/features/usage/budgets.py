"""Tesla's per-device rate limits, kept on our side so that Tesla never has to answer 429.

Tesla allows each device (a VIN, an energy site id), per account, 60 data calls, 30 commands and 3 wakes in any
rolling minute. Before a call of one of these categories the ledger counts the device's calls of that category in
the last minute (`upstream_calls`, shared by every process) and reserves a slot by inserting the call's row, in one
short transaction serialised per device key: `pg_advisory_xact_lock` on PostgreSQL; on SQLite the reservation is
inserted first, which takes the database's write lock before the count. A call over budget is refused with
`OverBudget` (a `RateLimited`, so routes answer 429 `rate_limited` with `Retry-After`: the seconds until the oldest
call in the window leaves it).

What counts: every call that may have passed Tesla's limiter, in flight ones (no status yet) and failed ones
included. Left out are the answers Tesla gives before its limiter (401 refused token, 412 unregistered, 421 wrong
region) and its 429s, which it does not count either. Counting a little more than Tesla errs on the safe side.

A 429 from Tesla anyway (another app of the same account uses the car, or limits changed) is honoured: a hold row
(method `HOLD`, status 429, not billable, `at` = the end of Tesla's `Retry-After`) refuses the device's calls of
that category until then, in every process, without asking Tesla. Hold rows are not calls: the usage report skips
them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, text

from fleetgate.features.usage.categories import COMMANDS, DATA, WAKES
from fleetgate.infra.db.writes import Writes
from fleetgate.infra.models import UpstreamCall
from fleetgate.tesla.errors import RateLimited

# Tesla's current limits (developer.tesla.com, billing and limits): per device, per account, per rolling minute.
TESLA_LIMITS: Mapping[str, int] = {DATA: 60, COMMANDS: 30, WAKES: 3}
TESLA_WINDOW = timedelta(seconds=60)
HOLD = "HOLD"
# Answers Tesla gives before its rate limiter, and its limiter's own refusals: not in Tesla's count.
NOT_COUNTED = (401, 412, 421, 429)


@dataclass(frozen=True, slots=True)
class Budgets:
    limits: Mapping[str, int] = field(default_factory=lambda: dict(TESLA_LIMITS))
    window: timedelta = TESLA_WINDOW

    def limit(self, category: str | None) -> int | None:
        return self.limits.get(category) if category is not None else None


DEFAULT_BUDGETS = Budgets()


class OverBudget(RateLimited):
    """Refused on our side, before Tesla was asked."""


LOCK_DEVICE = text("SELECT pg_advisory_xact_lock(hashtext('fleetgate.budgets'), hashtext(:key))")
# One query for both: the holds still running (their `at` is in the future) and the calls of the last window.
WINDOW = (
    select(UpstreamCall.at, UpstreamCall.method, UpstreamCall.status)
    .where(
        UpstreamCall.device_key == bindparam("device_key"),
        UpstreamCall.category == bindparam("category"),
        UpstreamCall.at > bindparam("since"),
        UpstreamCall.id != bindparam("reservation_id"),
    )
    .order_by(UpstreamCall.at)
)


async def lock_device(writes: Writes, device_key: str) -> None:
    """On PostgreSQL, one reservation at a time per device key, until the transaction ends."""
    if writes.dialect_name == "postgresql":
        await writes.execute(LOCK_DEVICE, {"key": device_key})


async def refusal(
    writes: Writes,
    budgets: Budgets,
    *,
    device_key: str,
    category: str,
    reservation_id: str,
    now: datetime,
) -> OverBudget | None:
    """Why the call reserved as `reservation_id` must not go to Tesla, or None. Runs after the reservation."""
    rows = await writes.rows(
        WINDOW,
        {
            "device_key": device_key,
            "category": category,
            "since": now - budgets.window,
            "reservation_id": reservation_id,
        },
    )
    holds = [at for at, method, _ in rows if method == HOLD and at > now]
    if holds:
        seconds = (max(holds) - now).total_seconds()
        return OverBudget(
            f"Tesla answered 429 to this device's {category} calls; its Retry-After ends in {_seconds(seconds)} s",
            retry_after=seconds,
        )
    limit = budgets.limit(category)
    if limit is None:
        return None
    earlier = [at for at, method, status in rows if method != HOLD and (status is None or status not in NOT_COUNTED)]
    if len(earlier) < limit:
        return None
    # The slot frees when enough of the oldest calls have left the window for this one to fit.
    frees_at = earlier[len(earlier) - limit] + budgets.window
    seconds = max(0.0, (frees_at - now).total_seconds())
    return OverBudget(
        f"{limit} {category} calls a minute per device (Tesla's limit, kept by fleetgate so that Tesla does not "
        f"have to refuse); the next fits in {_seconds(seconds)} s",
        retry_after=seconds,
    )


def _seconds(value: float) -> int:
    return max(1, math.ceil(value))
