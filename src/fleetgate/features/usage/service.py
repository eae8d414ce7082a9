"""The usage report: billed calls by category, and the signals cars streamed, per connection and device, and their
cost at Tesla's prices."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.usage.budgets import HOLD
from fleetgate.features.usage.categories import CATEGORIES, COMMANDS, DATA, STREAMING_SIGNALS, WAKES
from fleetgate.features.usage.schemas import ConnectionUsage, Costs, Counts, DeviceUsage, Period, UsageOut
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.errors import ValidationFailed
from fleetgate.infra.models import Connection, TelemetryRecord, TelemetrySignalHour, UpstreamCall
from fleetgate.infra.workspace_rows import get_in_workspace

# Tesla's prices (developer.tesla.com, billing and limits): calls, or streamed signals, per US dollar.
CALLS_PER_USD = {DATA: 500, COMMANDS: 1000, WAKES: 50, STREAMING_SIGNALS: 150_000}
CENT_FRACTIONS = Decimal("0.000001")


def month_start(moment: datetime) -> datetime:
    """Tesla's billing cycle starts on the 1st of each month."""
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def costs(counts: Counter[str]) -> Costs:
    each = {name: Decimal(counts[name]) / CALLS_PER_USD[name] for name in CATEGORIES}
    total = sum(each.values(), Decimal(0))
    return Costs(**{name: float(value.quantize(CENT_FRACTIONS)) for name, value in {**each, "total": total}.items()})


def counts_out(counts: Counter[str]) -> Counts:
    return Counts(**{name: counts[name] for name in CATEGORIES})


async def usage_report(
    session: AsyncSession,
    workspace_id: str,
    *,
    start: datetime | None,
    end: datetime | None,
    connection_id: str | None = None,
) -> UsageOut:
    end = end or utcnow()
    # The billing month `end` falls in (the one it closes, when it is midnight on the 1st).
    start = start or month_start(end - timedelta(microseconds=1))
    if start >= end:
        raise ValidationFailed("`from` must be before `to`.", field="from")
    if connection_id is not None:
        await get_in_workspace(session, Connection, workspace_id, connection_id, "connection")
    query = (
        select(
            UpstreamCall.connection_id,
            UpstreamCall.device_id,
            UpstreamCall.category,
            UpstreamCall.billable,
            func.count(),
        )
        .where(
            UpstreamCall.workspace_id == workspace_id,
            UpstreamCall.at >= start,
            UpstreamCall.at < end,
            UpstreamCall.method != HOLD,
        )
        .group_by(UpstreamCall.connection_id, UpstreamCall.device_id, UpstreamCall.category, UpstreamCall.billable)
    )
    if connection_id is not None:
        query = query.where(UpstreamCall.connection_id == connection_id)

    totals: Counter[str] = Counter()
    per_connection: dict[str, Counter[str]] = {}
    per_device: dict[str, dict[str, Counter[str]]] = {}
    unbilled = errors = 0
    for conn_id, device_id, category, billable, count in await session.execute(query):
        if category is None:
            unbilled += count
            continue
        if not billable:
            errors += count
            continue
        totals[category] += count
        if conn_id is None:
            continue  # the connection's row is gone; its calls still count in the totals
        per_connection.setdefault(conn_id, Counter())[category] += count
        if device_id is not None:
            per_device.setdefault(conn_id, {}).setdefault(device_id, Counter())[category] += count

    for conn_id, device_id, count in await _streamed_signals(session, workspace_id, start, end, connection_id):
        totals[STREAMING_SIGNALS] += count
        if conn_id is None:
            continue
        per_connection.setdefault(conn_id, Counter())[STREAMING_SIGNALS] += count
        if device_id is not None:
            per_device.setdefault(conn_id, {}).setdefault(device_id, Counter())[STREAMING_SIGNALS] += count

    customers = await _customers(session, workspace_id, list(per_connection))
    return UsageOut(
        period=Period(from_=start, to=end),
        totals=counts_out(totals),
        estimated_cost_usd=costs(totals),
        calls_per_usd=Counts(**CALLS_PER_USD),
        by_connection=[
            ConnectionUsage(
                connection_id=conn_id,
                customer_id=customers[conn_id],
                counts=counts_out(counts),
                estimated_cost_usd=costs(counts),
                devices=[
                    DeviceUsage(device_id=device_id, counts=counts_out(device_counts))
                    for device_id, device_counts in sorted(per_device.get(conn_id, {}).items())
                ],
            )
            for conn_id, counts in sorted(per_connection.items())
            if conn_id in customers
        ],
        unbilled_calls=unbilled,
        errors_not_billed=errors,
    )


async def _streamed_signals(
    session: AsyncSession, workspace_id: str, start: datetime, end: datetime, connection_id: str | None
) -> list[tuple[str | None, str | None, int]]:
    """Signals per connection and device: of the records kept one by one, by when each was received, and of those
    rolled up (`jobs.retention`), by the hour they were received in."""
    found = []
    for table, moment in (
        (TelemetryRecord, TelemetryRecord.received_at),
        (TelemetrySignalHour, TelemetrySignalHour.hour),
    ):
        query = (
            select(table.connection_id, table.device_id, func.coalesce(func.sum(table.signals), 0))
            .where(table.workspace_id == workspace_id, moment >= start, moment < end)
            .group_by(table.connection_id, table.device_id)
        )
        if connection_id is not None:
            query = query.where(table.connection_id == connection_id)
        found += [(conn_id, device_id, int(count)) for conn_id, device_id, count in await session.execute(query)]
    return found


async def _customers(session: AsyncSession, workspace_id: str, connection_ids: list[str]) -> dict[str, str]:
    if not connection_ids:
        return {}
    rows = await session.execute(
        select(Connection.id, Connection.customer_id).where(
            Connection.workspace_id == workspace_id, Connection.id.in_(connection_ids)
        )
    )
    return {connection_id: customer_id for connection_id, customer_id in rows}
