"""The database side of history reads: a stored range, the upsert of a new read, a site's known time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from fleetgate.features.history.periods import Kind, Period, Range
from fleetgate.infra.models import DeviceHistory
from fleetgate.infra.runtime import Runtime

STORED = select(DeviceHistory.data, DeviceHistory.fetched_at, DeviceHistory.closed).where(
    DeviceHistory.device_id == bindparam("device_id"),
    DeviceHistory.kind == bindparam("kind"),
    DeviceHistory.period == bindparam("period"),
    DeviceHistory.range_start == bindparam("range_start"),
    DeviceHistory.range_end == bindparam("range_end"),
)
KNOWN_ZONE = (
    select(DeviceHistory.site_time_zone)
    .where(DeviceHistory.device_id == bindparam("device_id"), DeviceHistory.site_time_zone.is_not(None))
    .limit(1)
)


async def stored(
    runtime: Runtime, device_id: str, kind: Kind, period: Period, span: Range
) -> tuple[dict[str, Any], datetime, bool] | None:
    """The stored read of this range (data, when it was fetched, whether it is closed), if any."""
    key = {"device_id": device_id, "kind": kind, "period": period, "range_start": span.start, "range_end": span.end}
    async with runtime.sessionmaker() as session:
        row = (await session.execute(STORED, key)).first()
    return (row.data, row.fetched_at, row.closed) if row is not None else None


async def known_zone(runtime: Runtime, device_id: str) -> str | None:
    """The site's time zone, as Tesla said it when an earlier history was read."""
    async with runtime.sessionmaker() as session:
        return await session.scalar(KNOWN_ZONE, {"device_id": device_id})


async def save(
    runtime: Runtime,
    *,
    device_id: str,
    workspace_id: str,
    kind: Kind,
    period: Period,
    span: Range,
    data: dict[str, Any],
    fetched_at: datetime,
    closed: bool,
    site_time_zone: str | None,
) -> None:
    """Stores a read in a short transaction of its own; a newer read of the same range (another process's) stays."""
    values: dict[str, Any] = {
        "device_id": device_id,
        "kind": kind,
        "period": period,
        "range_start": span.start,
        "range_end": span.end,
        "workspace_id": workspace_id,
        "time_zone": span.zone_name,
        "site_time_zone": site_time_zone,
        "closed": closed,
        "fetched_at": fetched_at,
        "data": data,
    }
    keys = ("device_id", "kind", "period", "range_start", "range_end")
    insert = postgresql.insert if runtime.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(DeviceHistory).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[getattr(DeviceHistory, name) for name in keys],
        set_={
            **{name: statement.excluded[name] for name in values if name not in keys},
            "site_time_zone": func.coalesce(statement.excluded.site_time_zone, DeviceHistory.site_time_zone),
        },
        where=~DeviceHistory.closed & (DeviceHistory.fetched_at < statement.excluded.fetched_at),
    )
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(statement)
