"""A device's history over a range, read from Tesla only when the stored one will not do: `read_history`, the one
call of `GET /v1/devices/{id}/history`.

Every request goes through the same steps: the query (`periods.resolve`, checked before anything else), the device
(404 for another workspace's), the kind against the device's type, the one access decision (`access.capabilities`:
`energy_data` for a site's energy and backup history, `charging_history` for a car's), all before any upstream call;
then the stored read of the same range (`device_histories`), served for good once the range is closed and for
`max_age` seconds while it is open, as state reads are; only then Tesla (`fetch`), once per process however many
requests ask for the same range at the same time (`Runtime.history_reads`), holding no database connection while it
answers; the answer is stored in a short transaction of its own before the waiting requests get it.

Ranges are cut in the `time_zone` asked for, else in the device's: for an energy site the one its stored `site_info`
names, else the one an earlier history was read in, else `site_info` is asked for first (one more billed read,
once); for a car UTC (Tesla keeps no time zone for a car).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from fleetgate.features.access.capabilities import BY_DEVICE_TYPE, ENERGY_SITE, VEHICLE
from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.connections.tesla_errors import upstream_errors
from fleetgate.features.devices.errors import require
from fleetgate.features.devices.service import facts_of_connection
from fleetgate.features.devices.state_store import LoadedDevice, load_device, stored_raw
from fleetgate.features.history import normalize, store
from fleetgate.features.history.fetch import fetch, site_time_zone
from fleetgate.features.history.periods import Kind, Period, Range, checked_zone, invalid, is_closed, resolve
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.detached import columns_of, detached
from fleetgate.infra.errors import NotFound
from fleetgate.infra.models import Connection
from fleetgate.infra.runtime import Runtime

DEFAULT_MAX_AGE_SECONDS = 60.0
KINDS_BY_DEVICE_TYPE: dict[str, tuple[Kind, ...]] = {ENERGY_SITE: ("energy", "backup"), VEHICLE: ("charging",)}
CAPABILITY_BY_KIND: dict[Kind, str] = {"energy": "energy_data", "backup": "energy_data", "charging": "charging_history"}
VEHICLE_ZONE = "UTC"
CONNECTION = select(*columns_of(Connection)).where(Connection.id == bindparam("connection_id"))


@dataclass(frozen=True, slots=True)
class HistoryAnswer:
    device_id: str
    device_type: str
    kind: Kind
    period: Period
    span: Range
    data: dict[str, Any]
    source: str  # cache | live
    fetched_at: datetime
    closed: bool


async def read_history(
    runtime: Runtime,
    workspace_id: str,
    device_id: str,
    *,
    kind: Kind | None,
    period: Period,
    start: str | None,
    end: str | None,
    time_zone: str | None = None,
    max_age: float = DEFAULT_MAX_AGE_SECONDS,
) -> HistoryAnswer:
    asked_at = utcnow()
    # A bad query is refused before anything is looked up.
    chosen_zone = checked_zone(time_zone) if time_zone is not None else None
    resolve(period, start, end, chosen_zone or VEHICLE_ZONE, asked_at)
    row = await load_device(runtime, workspace_id, device_id)
    if row is None:
        raise NotFound(f"No device {device_id}.")
    kind = _kind_for(row, kind)
    facts = facts_of_connection(runtime, row.connection_id, row.connection_status, row.status_reason, row.scopes)
    capability = BY_DEVICE_TYPE[row.type][CAPABILITY_BY_KIND[kind]]
    what = f"Reading this {row.type.replace('_', ' ')}'s {kind} history"
    require(capability, facts, row.status, device_id, what)
    site_zone = await default_zone(runtime, device_id, row.type) if row.type != VEHICLE else None
    zone_name = chosen_zone or (VEHICLE_ZONE if row.type == VEHICLE else site_zone)
    if zone_name is not None:
        span = resolve(period, start, end, zone_name, asked_at)
        found = await store.stored(runtime, device_id, kind, period, span)
        if found is not None:
            data, fetched_at, closed = found
            if closed or (asked_at - fetched_at).total_seconds() <= max_age:
                return HistoryAnswer(device_id, row.type, kind, period, span, data, "cache", fetched_at, closed)
    return await _from_tesla(runtime, row, Asked(kind, period, (start, end), (zone_name, site_zone), asked_at))


def _kind_for(row: LoadedDevice, kind: Kind | None) -> Kind:
    fitting = KINDS_BY_DEVICE_TYPE[row.type]
    if kind is None:
        return fitting[0]
    if kind not in fitting:
        device = row.type.replace("_", " ")
        raise invalid("kind", f"A {device} has no {kind} history; its kinds are {', '.join(fitting)}.")
    return kind


async def default_zone(runtime: Runtime, device_id: str, device_type: str) -> str | None:
    """The zone a device's ranges are cut in unless asked otherwise: UTC for a car, the site's own for a site; None
    for a site whose zone no read has told yet (its first history read asks Tesla)."""
    if device_type == VEHICLE:
        return VEHICLE_ZONE
    raw = await stored_raw(runtime, device_id)
    info = raw.get("site_info") if isinstance(raw, dict) else None
    name = info.get("installation_time_zone") if isinstance(info, dict) else None
    if isinstance(name, str):
        return name or "UTC"
    return await store.known_zone(runtime, device_id)


@dataclass(frozen=True, slots=True)
class Asked:
    """What a read from Tesla is for; `zones`: the one to cut the range in and the site's, each None when not known
    yet."""

    kind: Kind
    period: Period
    bounds: tuple[str | None, str | None]
    zones: tuple[str | None, str | None]
    at: datetime

    @property
    def flight_key(self) -> tuple[str, ...]:
        return (self.kind, self.period, self.bounds[0] or "", self.bounds[1] or "", self.zones[0] or "")


async def _from_tesla(runtime: Runtime, row: LoadedDevice, asked: Asked) -> HistoryAnswer:
    found = await runtime.reader.first(CONNECTION, {"connection_id": row.connection_id})
    if found is None:  # removed since the device was loaded
        raise NotFound(f"No device {row.device_id}.")
    connection = detached(Connection, found)
    async with upstream_errors(runtime, None, connection):
        flight, _ = runtime.history_reads.join(
            (row.device_id, *asked.flight_key), lambda: _read(runtime, row, connection, asked)
        )
        # shield: a request that goes away does not cancel the read the others wait for.
        answer: HistoryAnswer = await asyncio.shield(flight)
        return answer


async def _read(runtime: Runtime, row: LoadedDevice, connection: Connection, asked: Asked) -> HistoryAnswer:
    """Asks Tesla, holding no database connection meanwhile, then stores the answer in a short transaction of its
    own (so that it is stored even if every request waiting for it has gone)."""
    kind, period = asked.kind, asked.period
    zone_name, site_zone = asked.zones
    async with fleet_api(runtime, None, connection) as api:
        if zone_name is None:
            site_zone = zone_name = await site_time_zone(api, int(row.external_id)) or "UTC"
        span = resolve(period, *asked.bounds, zone_name, asked.at)
        data = await fetch(api, kind, row.external_id, period, span)
    fetched_at = utcnow()
    ongoing = normalize.latest_event_end(data) if kind == "backup" else None
    closed = is_closed(kind, span, fetched_at, ongoing)
    await store.save(
        runtime,
        device_id=row.device_id,
        workspace_id=row.workspace_id,
        kind=kind,
        period=period,
        span=span,
        data=data,
        fetched_at=fetched_at,
        closed=closed,
        site_time_zone=site_zone,
    )
    return HistoryAnswer(row.device_id, row.type, kind, period, span, data, "live", fetched_at, closed)
