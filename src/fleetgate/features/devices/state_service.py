"""A device's state, read as cheaply as the caller's freshness allows.

Every request goes through the same steps: the device (404 for another workspace's, 410 once removed), its
connection (409 when it needs a reconnect or was deleted) and the scope the read needs (403 `insufficient_scope`),
all before any upstream call; then the freshest state known — the row in `device_states`, which every process
shares, or the last read this process made — if it is younger than `max_age`; only then Tesla.

Tesla is asked once per device however many requests want it at the same moment (single flight, per process): the
first request starts the read as a task of its own, so that a client hanging up does not cancel it for the others,
and later ones wait for the same task. The request that started it stores the result (an upsert, in its
transaction); until that commits, this process answers from the read it keeps in memory.

Vehicles: first the cheap `GET /vehicles/{vin}` (not billed, not rate limited). A car that is asleep or offline is
woken only with `wake=true`: one `wake_up` (a billed wake, and the car then stays awake and uses battery), then the
cheap call again, with growing pauses, until it is online or `WakePolicy.timeout_seconds` have passed. Then one
`vehicle_data` (billed as data), with `location_data` only for a connection that may read the location. Energy
sites: `live_status`, plus `site_info` when the stored one is older than `SITE_INFO_MAX_AGE` (each billed as data).

A command that succeeded on the device (`devices.changed_by_command_at`) makes every reading made before it stale,
whatever `max_age` allows: the next read asks Tesla, and an energy site's `site_info` is read again with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import (
    CONNECTION_NEEDS_RECONNECT,
    CONNECTION_REVOKED,
    DEVICE_REMOVED,
    RULES,
    VEHICLE,
    ConnectionFacts,
    capability,
)
from fleetgate.features.connections.errors import needs_reconnect_error, revoked_error
from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.connections.remedies import connection_remedies
from fleetgate.features.devices import normalize
from fleetgate.features.devices.state_schemas import OnlineState
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.errors import APIError, Gone, InsufficientScope, NotFound, VehicleAsleep
from fleetgate.infra.models import Connection, Device, DeviceState
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla import errors as tesla
from fleetgate.tesla.api import FleetApi

DEFAULT_MAX_AGE_SECONDS = 60.0
# site_info holds settings (backup reserve, operation mode, storm mode) that change rarely and only by command.
SITE_INFO_MAX_AGE = timedelta(minutes=5)
# Reads this process remembers (the newest per device); past this many, the oldest go.
RECENT_LIMIT = 10_000
VEHICLE_ENDPOINTS = ("charge_state", "climate_state", "vehicle_state")
# `drive_state` is asked for only with the location: older firmware puts the location there unasked.
LOCATION_ENDPOINTS = ("drive_state", "location_data")
ASLEEP_NOTE = (
    "Waking the car costs a billed wake (ten times the price of a data read at Tesla's rates) and battery: "
    "a woken car stays awake for a while."
)
READ_CAPABILITY = {VEHICLE: "read_data", "energy_site": "energy_data"}


class DeviceRemoved(Gone):
    code = "device_removed"


class WakeTimeout(APIError):
    status = 504
    code = "wake_timeout"


@dataclass(frozen=True, slots=True)
class WakePolicy:
    """How long a `wake=true` read waits for the car: Tesla says 10 to 60 s; the poll is free, so it can be often."""

    timeout_seconds: float = 60.0
    first_pause_seconds: float = 0.5
    max_pause_seconds: float = 5.0
    backoff: float = 1.5


@dataclass(frozen=True, slots=True)
class Reading:
    fetched_at: datetime
    online_state: OnlineState | None
    data: dict[str, Any]
    raw: dict[str, Any] | None  # None also when not loaded from the database
    has_location: bool  # the location was asked for (and may be in `data`)

    def age_seconds(self, now: datetime) -> float:
        return max((now - self.fetched_at).total_seconds(), 0.0)

    def serves(self, now: datetime, max_age: float, location: bool) -> bool:
        # A state read without the location is no answer for a connection that may now read it.
        return self.age_seconds(now) <= max_age and (self.has_location or not location)


FlightKey = tuple[str, bool, bool]  # device id, wake, location


@dataclass
class StateReads:
    """This process's reads in flight and its newest read of each device."""

    wake: WakePolicy = field(default_factory=WakePolicy)
    flights: dict[FlightKey, asyncio.Task[Reading]] = field(default_factory=dict)
    recent: dict[str, Reading] = field(default_factory=dict)

    def landed(self, key: FlightKey, task: asyncio.Task[Reading]) -> None:
        if self.flights.get(key) is task:
            del self.flights[key]
        if task.cancelled() or task.exception() is not None:  # exception(): retrieved, whoever awaited it
            return
        self.remember(key[0], task.result())

    def remember(self, device_id: str, reading: Reading) -> None:
        known = self.recent.get(device_id)
        if known is not None and known.fetched_at >= reading.fetched_at:
            return
        if known is None and len(self.recent) >= RECENT_LIMIT:
            for old in sorted(self.recent, key=lambda name: self.recent[name].fetched_at)[: RECENT_LIMIT // 10]:
                del self.recent[old]
        self.recent[device_id] = reading


@dataclass(frozen=True, slots=True)
class Target:
    """A device the caller may read, with what the read needs to know (plain values: no ORM objects on the cached
    path, which is most reads)."""

    device_id: str
    workspace_id: str
    type: str
    external_id: str
    connection_id: str
    location: bool  # the connection may read the location
    stored: Reading | None  # without `raw`, which is loaded only when needed
    # When a command last succeeded on the device: a reading made before then is no longer the device's state.
    changed_at: datetime | None = None

    def current(self, reading: Reading) -> bool:
        return self.changed_at is None or reading.fetched_at >= self.changed_at


@dataclass(frozen=True, slots=True)
class Answer:
    target: Target
    reading: Reading
    source: str  # cache | live
    age_seconds: float


class NotOnline(Exception):
    """The car is asleep or offline: not woken (`woken` false), or woken but not online in time (`timed_out`)."""

    def __init__(
        self, online_state: OnlineState, *, woken: bool, timed_out: bool = False, reason: str | None = None
    ) -> None:
        super().__init__(online_state)
        self.online_state: OnlineState = online_state
        self.woken = woken
        self.timed_out = timed_out
        self.reason = reason


# -- the device, its connection and what it may read -------------------------------------------------------------


# Device, connection and stored state in one query of plain columns: the whole database cost of a cached read
# (ORM objects cost more to build than the query takes). Built once, as it is the same for every request.
LOAD_TARGET = (
    select(
        Device.id,
        Device.workspace_id,
        Device.type,
        Device.external_id,
        Device.status,
        Device.connection_id,
        Device.changed_by_command_at,
        Connection.status,
        Connection.status_reason,
        Connection.granted_scopes,
        DeviceState.fetched_at,
        DeviceState.online_state,
        DeviceState.data,
        DeviceState.has_location,
    )
    .join(Connection, Connection.id == Device.connection_id)
    .outerjoin(DeviceState, DeviceState.device_id == Device.id)
    .where(Device.id == bindparam("device_id"), Device.workspace_id == bindparam("workspace_id"))
)


async def readable_target(session: AsyncSession, runtime: Runtime, workspace_id: str, device_id: str) -> Target:
    """The device, if it is this workspace's and its state may be read now; else the error that says why not."""
    row = (await session.execute(LOAD_TARGET, {"device_id": device_id, "workspace_id": workspace_id})).first()
    if row is None:
        raise NotFound(f"No device {device_id}.")
    (device_id, workspace_id, kind, external_id, device_status, connection_id, changed_at) = row[:7]
    connection_status, status_reason, scopes, fetched_at, online, data, has_location = row[7:]
    remedies = connection_remedies(runtime.settings, runtime.endpoints, connection_id)
    facts = ConnectionFacts(connection_status, frozenset(scopes or ()), **remedies)
    name = READ_CAPABILITY[kind]
    rule = RULES[kind][name]
    found = capability(rule, facts, device_status, None)
    if found.reason == CONNECTION_NEEDS_RECONNECT:
        raise needs_reconnect_error(connection_id, status_reason, remedies)
    if found.reason == CONNECTION_REVOKED:
        raise revoked_error(connection_id, remedies)
    if found.reason == DEVICE_REMOVED:
        raise DeviceRemoved(
            f"Device {device_id} is no longer on the Tesla account of connection {connection_id}.",
            remedy={"action": "sync", "sync_url": f"/v1/connections/{connection_id}/sync"},
            device_id=device_id,
        )
    if not found.available:
        raise InsufficientScope(
            f"Reading this {kind.replace('_', ' ')}'s state needs the `{rule.access}` access, which the user did "
            "not grant.",
            remedy=found.remedy,
            capability=name,
            missing_scopes=list(rule.any_of_scopes),
        )
    location = kind == VEHICLE and capability(RULES[VEHICLE]["read_location"], facts, device_status, None).available
    stored = None
    if fetched_at is not None:
        stored = Reading(fetched_at, normalize.online_state({"state": online}), data, None, bool(has_location))
    return Target(device_id, workspace_id, kind, external_id, connection_id, location, stored, changed_at)


async def connection_of(session: AsyncSession, target: Target) -> Connection:
    """The connection's row, for a read that goes to Tesla (its tokens, and a place to record what Tesla says)."""
    connection = await session.get(Connection, target.connection_id)
    assert connection is not None  # a foreign key with ON DELETE CASCADE, and read in this transaction
    return connection


# -- the read ----------------------------------------------------------------------------------------------------


async def cached_state(
    session: AsyncSession, reads: StateReads, target: Target, *, max_age: float, include_raw: bool
) -> Answer | None:
    """The freshest state known, stored or this process's, if it is younger than `max_age`."""
    now = utcnow()

    def serves(reading: Reading) -> bool:
        return reading.serves(now, max_age, target.location) and target.current(reading)

    known = freshest(target.stored, reads.recent.get(target.device_id), serves)
    if known is None:
        return None
    if include_raw and known.raw is None:
        raw = await stored_raw(session, target.device_id)
        known = Reading(known.fetched_at, known.online_state, known.data, raw, known.has_location)
    return Answer(target, visible(known, target.location), "cache", known.age_seconds(now))


async def live_state(
    session: AsyncSession, runtime: Runtime, reads: StateReads, target: Target, connection: Connection, *, wake: bool
) -> Answer:
    """Tesla's answer, read once for every request that asks at the same time; stored by the request that asked
    first. Tesla's errors come out as they are (see `connections.fleet.upstream_errors`)."""
    key: FlightKey = (target.device_id, wake and target.type == VEHICLE, target.location)
    flight = reads.flights.get(key)
    site_info = None
    if flight is None and target.type != VEHICLE:
        site_info = await known_site_info(session, reads, target, utcnow())
        flight = reads.flights.get(key)  # another request may have started the read meanwhile
    leader = flight is None
    if flight is None:
        # A copy of the connection: the task may outlive this request and its session.
        work = fetch(runtime, reads.wake, target, _detached(connection), wake=key[1], site_info=site_info)
        flight = reads.flights[key] = asyncio.create_task(work)
        flight.add_done_callback(lambda task: reads.landed(key, task))
    try:
        # shield: a request that goes away does not cancel the read the others wait for.
        reading = await asyncio.shield(flight)
    except NotOnline as exc:
        last = freshest(target.stored, reads.recent.get(target.device_id), lambda _: True)
        raise not_online_error(exc, last, target.location, reads.wake) from None
    if leader:
        await store(session, runtime, target, reading)
    return Answer(target, visible(reading, target.location), "live", reading.age_seconds(utcnow()))


def freshest(stored: Reading | None, recent: Reading | None, accept: Callable[[Reading], bool]) -> Reading | None:
    found = [reading for reading in (stored, recent) if reading is not None and accept(reading)]
    return max(found, key=lambda reading: reading.fetched_at) if found else None


def visible(reading: Reading, location: bool) -> Reading:
    """What a connection may see of a reading made when it could (perhaps) read the location."""
    if location or not reading.has_location:
        return reading
    raw = normalize.strip_location(reading.raw) if reading.raw is not None else None
    return Reading(reading.fetched_at, reading.online_state, normalize.without_location(reading.data), raw, False)


async def stored_raw(session: AsyncSession, device_id: str) -> dict[str, Any] | None:
    raw: dict[str, Any] | None = await session.scalar(select(DeviceState.raw).where(DeviceState.device_id == device_id))
    return raw


def _detached(connection: Connection) -> Connection:
    """A copy for the read's task, which may outlive the request (and its session, which expires its objects when it
    rolls back)."""
    copy = Connection()
    for column in sa_inspect(Connection).column_attrs:
        setattr(copy, column.key, getattr(connection, column.key))
    return copy


async def known_site_info(
    session: AsyncSession, reads: StateReads, target: Target, now: datetime
) -> tuple[dict[str, Any], datetime] | None:
    """The site_info read less than `SITE_INFO_MAX_AGE` ago, if there is one (this process's, or the stored one), and
    not before the site's last successful command: that command changed the settings site_info holds."""
    recent = reads.recent.get(target.device_id)
    found = _site_info_of(recent.raw if recent is not None else None, now)
    if found is None:
        found = _site_info_of(await stored_raw(session, target.device_id), now)
    if found is None or (target.changed_at is not None and target.changed_at >= found[1]):
        return None
    return found


def _site_info_of(raw: dict[str, Any] | None, now: datetime) -> tuple[dict[str, Any], datetime] | None:
    if raw is None:
        return None
    info, at = raw.get("site_info"), _instant(raw.get("site_info_fetched_at"))
    if isinstance(info, dict) and at is not None and timedelta(0) <= now - at < SITE_INFO_MAX_AGE:
        return info, at
    return None


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# -- Tesla -------------------------------------------------------------------------------------------------------


async def fetch(
    runtime: Runtime,
    policy: WakePolicy,
    target: Target,
    connection: Connection,
    *,
    wake: bool,
    site_info: tuple[dict[str, Any], datetime] | None,
) -> Reading:
    if target.type == VEHICLE:
        return await fetch_vehicle(runtime, policy, connection, target.external_id, location=target.location, wake=wake)
    return await fetch_site(runtime, connection, int(target.external_id), site_info)


async def fetch_vehicle(
    runtime: Runtime, policy: WakePolicy, connection: Connection, vin: str, *, location: bool, wake: bool
) -> Reading:
    endpoints = VEHICLE_ENDPOINTS + (LOCATION_ENDPOINTS if location else ())
    async with fleet_api(runtime, None, connection) as api:
        online = normalize.online_state(await api.vehicle(vin))
        woken = False
        if online == "asleep" or online == "offline":
            if not wake:
                raise NotOnline(online, woken=False)
            woken = True
            if normalize.online_state(await api.wake_up(vin)) != "online":
                await wait_until_online(api, vin, policy, online)
        try:
            try:
                payload = await api.vehicle_data(vin, endpoints)
            except tesla.MissingScopes as exc:
                if not location or "vehicle_device_data" in exc.scopes:
                    raise
                # The user took the location away on Tesla's side, and the connection's scopes will say so only
                # after the next token refresh: the rest is still readable, and the location shows as null.
                payload = await api.vehicle_data(vin, VEHICLE_ENDPOINTS)
        except tesla.VehicleUnavailable:
            # It fell asleep between the two calls (Tesla's 408): the same answer as a car found asleep.
            raise NotOnline("asleep", woken=woken, reason="Tesla could not reach it for its data") from None
    raw = {"vehicle_data": payload if location else normalize.strip_location(payload)}
    data = normalize.normalize_vehicle(payload, with_location=location)
    return Reading(utcnow(), normalize.online_state(payload) or "online", data, raw, location)


async def wait_until_online(api: FleetApi, vin: str, policy: WakePolicy, online: OnlineState) -> None:
    """Polls the free `GET /vehicles/{vin}` with growing pauses until the car is online, within the policy's time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + policy.timeout_seconds
    pause = policy.first_pause_seconds
    while (remaining := deadline - loop.time()) > 0:
        await asyncio.sleep(min(pause, remaining))
        online = normalize.online_state(await api.vehicle(vin)) or online
        if online == "online":
            return
        pause = min(pause * policy.backoff, policy.max_pause_seconds)
    raise NotOnline(online, woken=True, timed_out=True)


async def fetch_site(
    runtime: Runtime, connection: Connection, site_id: int, site_info: tuple[dict[str, Any], datetime] | None
) -> Reading:
    async with fleet_api(runtime, None, connection) as api:
        live = await api.live_status(site_id)
        info, info_at = site_info if site_info is not None else (await api.site_info(site_id), utcnow())
    raw = {"live_status": live, "site_info": info, "site_info_fetched_at": iso(info_at)}
    return Reading(utcnow(), None, normalize.normalize_energy_site(live, info), raw, False)


# -- the database ------------------------------------------------------------------------------------------------


async def store(session: AsyncSession, runtime: Runtime, target: Target, reading: Reading) -> None:
    """Upserts the reading; a slower read that finished after a newer one (another process's) does not replace it."""
    values: dict[str, Any] = {
        "device_id": target.device_id,
        "workspace_id": target.workspace_id,
        "fetched_at": reading.fetched_at,
        "online_state": reading.online_state,
        "online_checked_at": reading.fetched_at,
        "data": reading.data,
        "raw": reading.raw,
        "has_location": reading.has_location,
    }
    insert = postgresql.insert if runtime.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(DeviceState).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[DeviceState.device_id],
        set_={name: statement.excluded[name] for name in values if name != "device_id"},
        where=DeviceState.fetched_at < statement.excluded.fetched_at,
    )
    await session.execute(statement)


# -- a car that is not online ------------------------------------------------------------------------------------


def not_online_error(error: NotOnline, last: Reading | None, location: bool, policy: WakePolicy) -> APIError:
    shown = visible(last, location) if last is not None else None
    details: dict[str, Any] = {
        "online_state": error.online_state,
        "last_known_state": shown.data if shown is not None else None,
        "last_known_at": iso(shown.fetched_at) if shown is not None else None,
        "age_seconds": round(shown.age_seconds(utcnow()), 3) if shown is not None else None,
        "woken": error.woken,
    }
    if error.timed_out:
        return WakeTimeout(
            f"Tesla was asked to wake the vehicle, and it was still {error.online_state} after "
            f"{policy.timeout_seconds:g} s; its last known state is in `last_known_state`.",
            remedy={"note": "The car may be out of coverage or switched off. Each new try costs another billed wake."},
            **details,
        )
    because = error.reason or ("fleetgate did not wake it" if not error.woken else "it did not stay awake")
    return VehicleAsleep(
        f"The vehicle is {error.online_state} ({because}), so its data was not read; its last known state is in "
        "`last_known_state`.",
        remedy={"retry_with": "wake=true", "note": ASLEEP_NOTE},
        **details,
    )
