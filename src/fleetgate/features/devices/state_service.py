"""A device's state, read as cheaply as the caller's freshness allows: `read_state`, the one call of
`GET /v1/devices/{id}/state`.

Every request goes through the same steps: the device (404 for another workspace's), then the one access decision
(`access.capabilities.decide`: its connection, whether it is still on the account, the scope the read needs), all
before any upstream call; then the freshest state known — the row in `device_states`, which every process shares,
or the last read this process made — if it was younger than `max_age` when the request arrived; only then Tesla
(`state_fetch`).

Tesla is asked once per device however many requests want it at the same moment (`Runtime.state_reads`, a single
flight per process). A request that finds a read of its device in flight takes that read's answer whatever its
`max_age`: the answer lands after the request arrived, so it is as fresh as asked. A read that asks for the location
serves a request that may not see it (`visible` takes it out); one that may wake the car serves only requests that
asked for a wake. The read itself remembers its answer (`Runtime.latest_readings`) and stores it, in a short
transaction of its own, before the waiting requests get it.

No request holds the database while Tesla answers: the request's session is released (`infra.db.release`) once the
read has what it needs, so a slow car does not make other requests wait for the connection pool.

A command that succeeded on the device (`devices.changed_by_command_at`) makes every reading made before it stale,
whatever `max_age` allows: the next read asks Tesla, and an energy site's `site_info` is read again with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import BY_DEVICE_TYPE, VEHICLE, ConnectionFacts, decide
from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.connections.tesla_errors import upstream_errors
from fleetgate.features.devices import normalize
from fleetgate.features.devices.errors import not_online_error, require
from fleetgate.features.devices.service import facts_of_connection
from fleetgate.features.devices.state_fetch import SiteInfo, fetch_site, fetch_vehicle, recent_site_info
from fleetgate.features.devices.state_store import load_device, store, stored_raw
from fleetgate.infra.db.base import iso, utcnow
from fleetgate.infra.db.release import release
from fleetgate.infra.db.transaction import request_transaction
from fleetgate.infra.errors import NotFound
from fleetgate.infra.models import Connection
from fleetgate.infra.models.device_state import Reading
from fleetgate.infra.models.telemetry_connectivity import stream_open
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.wake import NotOnline, online_state

DEFAULT_MAX_AGE_SECONDS = 60.0
# Reads this process remembers (the newest per device); past this many, the oldest go.
RECENT_LIMIT = 10_000
READ_CAPABILITY = {VEHICLE: "read_data", "energy_site": "energy_data"}


@dataclass(frozen=True, slots=True)
class ReadableDevice:
    """A device the caller may read, with what the read needs to know (plain values: no ORM objects on the cached
    path, which is most reads)."""

    device_id: str
    workspace_id: str
    type: str
    external_id: str
    connection: ConnectionFacts
    location: bool  # the connection may read the location
    stored: Reading | None  # without `raw`, which is loaded only when needed
    # When a command last succeeded on the device: a reading made before then is no longer the device's state.
    changed_at: datetime | None = None

    def current(self, reading: Reading) -> bool:
        return self.changed_at is None or reading.fetched_at >= self.changed_at


@dataclass(frozen=True, slots=True)
class StateAnswer:
    device: ReadableDevice
    reading: Reading
    source: str  # cache | live | telemetry
    age_seconds: float


async def read_state(
    runtime: Runtime,
    workspace_id: str,
    device_id: str,
    *,
    max_age: float = DEFAULT_MAX_AGE_SECONDS,
    wake: bool = False,
    include_raw: bool = False,
) -> StateAnswer:
    # Freshness is judged when the request arrived: however long it then waits (for the database, or for a read in
    # flight), a reading made since is as fresh as it asked.
    asked_at = utcnow()
    device = await readable_device(runtime, workspace_id, device_id)
    answer = await cached_state(runtime, device, asked_at=asked_at, max_age=max_age, include_raw=include_raw)
    if answer is not None:
        return answer
    # Only now the request's transaction: most reads are answered without one.
    async with request_transaction(runtime.sessionmaker) as session:
        return await _from_tesla(session, runtime, device, wake=wake)


async def _from_tesla(session: AsyncSession, runtime: Runtime, device: ReadableDevice, *, wake: bool) -> StateAnswer:
    connection = await session.get(Connection, device.connection.id)
    assert connection is not None  # a foreign key with ON DELETE CASCADE, and read in this transaction
    read = LiveRead.of(device, wake=wake)
    site_info = None
    if device.type != VEHICLE and runtime.state_reads.in_flight(read.key, *read.also) is None:
        site_info = await known_site_info(runtime, device)
    await release(session)
    async with upstream_errors(runtime, session, connection):
        return await live_state(runtime, device, connection, read, site_info=site_info)


@dataclass(frozen=True, slots=True)
class LiveRead:
    """What a read from Tesla asks for: its single flight's key, and the keys of other reads that serve as well."""

    key: tuple[str, bool, bool]  # device id, wake, location
    also: tuple[tuple[str, bool, bool], ...]

    @classmethod
    def of(cls, device: ReadableDevice, *, wake: bool) -> LiveRead:
        wake = wake and device.type == VEHICLE
        also = ((device.device_id, wake, True),) if not device.location else ()
        return cls((device.device_id, wake, device.location), also)


async def readable_device(runtime: Runtime, workspace_id: str, device_id: str) -> ReadableDevice:
    """The device, if it is this workspace's and its state may be read now; else the error that says why not."""
    row = await load_device(runtime, workspace_id, device_id)
    if row is None:
        raise NotFound(f"No device {device_id}.")
    facts = facts_of_connection(runtime, row.connection_id, row.connection_status, row.status_reason, row.scopes)
    capabilities = BY_DEVICE_TYPE[row.type]
    what = f"Reading this {row.type.replace('_', ' ')}'s state"
    require(capabilities[READ_CAPABILITY[row.type]], facts, row.status, device_id, what)
    location = row.type == VEHICLE and decide(capabilities["read_location"], facts, row.status, None).available
    stored = None
    if row.fetched_at is not None and row.data is not None:
        online = online_state({"state": row.online_state})
        stored = Reading(
            row.fetched_at,
            online,
            row.data,
            None,
            bool(row.has_location),
            streamed=bool(row.streamed),
            field_times=row.field_times,
            streaming=stream_open(row.stream_connected, row.stream_seen_at, utcnow()),
        )
    return ReadableDevice(
        device_id, row.workspace_id, row.type, row.external_id, facts, location, stored, row.changed_at
    )


async def cached_state(
    runtime: Runtime,
    device: ReadableDevice,
    *,
    asked_at: datetime,
    max_age: float,
    include_raw: bool,
) -> StateAnswer | None:
    """The freshest state known, stored or this process's, if it was younger than `max_age` at `asked_at`."""

    def serves(reading: Reading) -> bool:
        return reading.serves(asked_at, max_age, device.location) and device.current(reading)

    known = freshest(device.stored, runtime.latest_readings.get(device.device_id), serves)
    if known is None:
        return None
    if include_raw and known.raw is None:
        raw = await stored_raw(runtime, device.device_id)
        known = replace(known, raw=raw)
    source = "telemetry" if known.streamed else "cache"
    return StateAnswer(device, visible(known, device.location), source, known.age_seconds(utcnow()))


async def live_state(
    runtime: Runtime, device: ReadableDevice, connection: Connection, read: LiveRead, *, site_info: SiteInfo | None
) -> StateAnswer:
    """Tesla's answer, read once for every request that asks while it is in flight. Tesla's errors come out as they
    are."""
    flight, _ = runtime.state_reads.join(
        read.key,
        # A copy of the connection: the read may outlive this request and its session.
        lambda: _read(runtime, device, _detached(connection), wake=read.key[1], site_info=site_info),
        also=read.also,
    )
    try:
        # shield: a request that goes away does not cancel the read the others wait for.
        reading = await asyncio.shield(flight)
    except NotOnline as exc:
        last = freshest(device.stored, runtime.latest_readings.get(device.device_id), lambda _: True)
        shown = visible(last, device.location) if last is not None else None
        known = (shown.data, shown.fetched_at, shown.age_seconds(utcnow())) if shown is not None else None
        raise not_online_error(exc, runtime.wake, known) from None
    return StateAnswer(device, visible(reading, device.location), "live", reading.age_seconds(utcnow()))


async def _read(
    runtime: Runtime, device: ReadableDevice, connection: Connection, *, wake: bool, site_info: SiteInfo | None
) -> Reading:
    """Asks Tesla, holding no database connection meanwhile, then remembers and stores the answer (in a short
    transaction of its own, so that it is stored even if every request waiting for it has gone), with the fields the
    car streamed since the read began."""
    async with fleet_api(runtime, None, connection) as api:
        if device.type == VEHICLE:
            reading = await fetch_vehicle(api, runtime.wake, device.external_id, location=device.location, wake_it=wake)
        else:
            reading = await fetch_site(api, int(device.external_id), site_info)
    remember(runtime, device, reading)
    async with runtime.sessionmaker() as session, session.begin():
        reading = await store(session, runtime, device.device_id, device.workspace_id, reading)
    remember(runtime, device, reading)
    return reading


def remember(runtime: Runtime, device: ReadableDevice, reading: Reading) -> None:
    """Keeps the newest reading per device, a bounded number of devices."""
    latest = runtime.latest_readings
    known = latest.get(device.device_id)
    if known is not None and known.fetched_at >= reading.fetched_at:
        return
    if known is None and len(latest) >= RECENT_LIMIT:
        for old in sorted(latest, key=lambda name: latest[name].fetched_at)[: RECENT_LIMIT // 10]:
            del latest[old]
    latest[device.device_id] = reading


def freshest(stored: Reading | None, recent: Reading | None, accept: Callable[[Reading], bool]) -> Reading | None:
    found = [reading for reading in (stored, recent) if reading is not None and accept(reading)]
    return max(found, key=lambda reading: reading.fetched_at) if found else None


def visible(reading: Reading, location: bool) -> Reading:
    """What a connection may see of a reading made when it could (perhaps) read the location."""
    if location or not reading.has_location:
        return reading
    raw = normalize.strip_location(reading.raw) if reading.raw is not None else None
    times = {name: at for name, at in (reading.field_times or {}).items() if not name.startswith("location")}
    return replace(
        reading, data=normalize.without_location(reading.data), raw=raw, has_location=False, field_times=times
    )


async def known_site_info(runtime: Runtime, device: ReadableDevice) -> SiteInfo | None:
    """The site_info read recently (this process's, or the stored one), if it still holds (see `state_fetch`)."""
    now = utcnow()
    recent = runtime.latest_readings.get(device.device_id)
    found = recent_site_info(recent.raw if recent is not None else None, now, device.changed_at)
    if found is None:
        found = recent_site_info(await stored_raw(runtime, device.device_id), now, device.changed_at)
    return found


def _detached(connection: Connection) -> Connection:
    """A copy for the read's task, which may outlive the request (and its session, which expires its objects when it
    rolls back)."""
    copy = Connection()
    for column in sa_inspect(Connection).column_attrs:
        setattr(copy, column.key, getattr(connection, column.key))
    return copy


def render(answer: StateAnswer, *, include_raw: bool) -> dict[str, Any]:
    """The answer as the API shows it (the data were made by the state models already)."""
    reading = answer.reading
    body: dict[str, Any] = {
        "device_id": answer.device.device_id,
        "type": answer.device.type,
        "fetched_at": iso(reading.fetched_at),
        "age_seconds": round(answer.age_seconds, 3),
        "source": answer.source,
        "online_state": reading.online_state,
        "data": reading.data,
        "field_times": reading.field_times or {},
    }
    if include_raw:
        body["raw"] = reading.raw
    return body
