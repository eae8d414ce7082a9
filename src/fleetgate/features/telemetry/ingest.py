"""A record a car streamed, stored in one transaction: the receiver acks it only once this has committed.

What identifies a record across a resend is the car's own moment of it, per topic: a car that got no ack sends the
same record again (`delivery_policy: latest`), marked `is_resend`, under a new transaction id, so the envelope's
txid and message id tell nothing. `telemetry_records` holds (device, topic, created_at) once: a record already
there is a duplicate, changes nothing and is acked all the same.

A record feeds every device fleetgate has for its VIN (a car can be linked in more than one workspace) whose
connection may read its data; the location only where it may read the location. Its fields, mapped through
`fields.CATALOGUE`, merge into the stored state (`devices.state_merge`: the newer value wins, field by field), the
changes of fields marked with an event become events, and its signals (datums, Tesla's billing unit) are counted in
the usage ledger as `streaming_signals`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import BY_DEVICE_TYPE, VEHICLE, ConnectionFacts, decide
from fleetgate.features.devices import normalize
from fleetgate.features.devices.state_merge import streamed_over_stored
from fleetgate.features.events.service import record_events
from fleetgate.features.events.types import VEHICLE_ALERT
from fleetgate.features.telemetry.fields import BY_NAME, BY_TESLA_FIELD
from fleetgate.infra.db.base import iso, utcnow
from fleetgate.infra.models import Connection, Device, DeviceState, TelemetryConnectivity, TelemetryRecord
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.protocol.telemetry.records import Alert, TelemetryValue, VehicleAlerts, VehicleData


class Outcome(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    UNKNOWN_VEHICLE = "unknown_vehicle"  # no device of fleetgate's may read this car's data


@dataclass(frozen=True, slots=True)
class StreamedDevice:
    id: str
    workspace_id: str
    connection_id: str
    location: bool  # its connection may read the location


DEVICES_OF_VIN = (
    select(
        Device.id,
        Device.workspace_id,
        Device.connection_id,
        Device.status,
        Connection.status,
        Connection.status_reason,
        Connection.granted_scopes,
    )
    .join(Connection, Connection.id == Device.connection_id)
    .where(Device.external_id == bindparam("vin"), Device.type == VEHICLE, Device.status == DeviceStatus.ACTIVE.value)
)


async def devices_fed_by(session: AsyncSession, vin: str) -> list[StreamedDevice]:
    capabilities = BY_DEVICE_TYPE[VEHICLE]
    found = []
    for device_id, workspace_id, connection_id, status, conn_status, reason, scopes in await session.execute(
        DEVICES_OF_VIN, {"vin": vin}
    ):
        # No remedies: nobody is shown this decision, and a record is no time to sign reconnect links.
        facts = ConnectionFacts(connection_id, conn_status, reason, frozenset(scopes or ()), {})
        if not decide(capabilities["read_data"], facts, status, None).available:
            continue
        location = decide(capabilities["read_location"], facts, status, None).available
        found.append(StreamedDevice(device_id, workspace_id, connection_id, location))
    return found


FreshRecord = Callable[[AsyncSession, StreamedDevice], Awaitable[None]]


async def ingest_vehicle_data(
    runtime: Runtime, vin: str, record: VehicleData, *, fed: list[StreamedDevice] | None = None
) -> Outcome:
    """`vin` is the one of the car's certificate; the record's own `vin` is not trusted. The devices the record fed
    are added to `fed` (for the brokers' message, with no second read)."""

    async def merge(session: AsyncSession, device: StreamedDevice) -> None:
        values = state_values(record.data, location=device.location)
        if values:
            # A car's clock ahead of ours would make its values outlive every later poll.
            made_at = min(record.created_at, utcnow())
            changed = await _merge(session, runtime, device, values, made_at)
            await _record_changes(session, device, changed, made_at)

    return await _ingest(runtime, vin, "V", record.created_at, len(record.data), fed, merge)


async def ingest_alerts(
    runtime: Runtime, vin: str, record: VehicleAlerts, *, fed: list[StreamedDevice] | None = None
) -> Outcome:
    """Each alert of a record seen for the first time is a `vehicle.alert` event; `fed` as in
    `ingest_vehicle_data`."""

    async def announce(session: AsyncSession, device: StreamedDevice) -> None:
        events = [(VEHICLE_ALERT, _alert_data(device, alert, record.created_at)) for alert in record.alerts]
        await record_events(session, workspace_id=device.workspace_id, events=events)

    return await _ingest(runtime, vin, "alerts", record.created_at, len(record.alerts), fed, announce)


async def _ingest(
    runtime: Runtime,
    vin: str,
    topic: str,
    created_at: datetime,
    signals: int,
    fed: list[StreamedDevice] | None,
    then: FreshRecord | None = None,
) -> Outcome:
    """The record kept once per device of the VIN, and `then` run for each device that had not seen it yet, in one
    transaction."""
    async with runtime.sessionmaker() as session, session.begin():
        devices = await _fed_devices(session, vin, fed)
        if not devices:
            return Outcome.UNKNOWN_VEHICLE
        stored = False
        for device in devices:
            if not await _first_time(session, runtime, device, topic, created_at, signals):
                continue
            stored = True
            if then is not None:
                await then(session, device)
        return Outcome.STORED if stored else Outcome.DUPLICATE


async def _fed_devices(session: AsyncSession, vin: str, fed: list[StreamedDevice] | None) -> list[StreamedDevice]:
    devices = await devices_fed_by(session, vin)
    if fed is not None:
        fed.extend(devices)
    return devices


def _alert_data(device: StreamedDevice, alert: Alert, made_at: datetime) -> dict[str, Any]:
    return {
        "device_id": device.id,
        "name": alert.name,
        "audiences": list(alert.audiences),
        "started_at": iso(alert.started_at) if alert.started_at is not None else None,
        "ended_at": iso(alert.ended_at) if alert.ended_at is not None else None,
        "measured_at": iso(made_at),
        "source": "telemetry",
    }


async def ingest_counted(
    runtime: Runtime,
    vin: str,
    topic: str,
    created_at: datetime,
    signals: int,
    *,
    fed: list[StreamedDevice] | None = None,
) -> Outcome:
    """A record kept only for the ledger and resends (errors); `fed` as in `ingest_vehicle_data`."""
    return await _ingest(runtime, vin, topic, created_at, signals, fed)


async def record_connectivity(
    runtime: Runtime,
    vin: str,
    *,
    stream_id: str,
    connected: bool,
    network_interface: str | None,
    at: datetime,
    fed: list[StreamedDevice] | None = None,
) -> bool:
    """Whether the car's stream is open, per device of its VIN; False when fleetgate has no such car. A disconnect
    of an older stream does not close a newer one. `fed` as in `ingest_vehicle_data`."""
    async with runtime.sessionmaker() as session, session.begin():
        devices = await _fed_devices(session, vin, fed)
        for device in devices:
            row = await session.get(TelemetryConnectivity, device.id, with_for_update=True)
            if row is None:
                session.add(
                    TelemetryConnectivity(
                        device_id=device.id,
                        workspace_id=device.workspace_id,
                        connected=connected,
                        stream_id=stream_id,
                        network_interface=network_interface,
                        changed_at=at,
                        seen_at=at,
                    )
                )
                continue
            if not connected and row.stream_id != stream_id:
                continue
            row.connected, row.stream_id, row.network_interface, row.changed_at = (
                connected,
                stream_id,
                network_interface,
                at,
            )
            row.seen_at = at
        return bool(devices)


async def vouch_for_streams(runtime: Runtime, stream_ids: Collection[str], at: datetime) -> None:
    """The receiver's heartbeat: these streams are still open (see `TelemetryConnectivity.seen_at`)."""
    if not stream_ids:
        return
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(
            update(TelemetryConnectivity)
            .where(TelemetryConnectivity.stream_id.in_(list(stream_ids)), TelemetryConnectivity.connected)
            .values(seen_at=at)
        )


def state_values(data: Mapping[str, TelemetryValue], *, location: bool) -> dict[str, Any]:
    """Tesla's fields of a record → the state's fields they set, in fleetgate's units."""
    values: dict[str, Any] = {}
    for tesla_name, value in data.items():
        for field in BY_TESLA_FIELD.get(tesla_name, ()):
            if field.access == "vehicle_location" and not location:
                continue
            values[field.name] = field.convert(value)
    return values


def _insert(runtime: Runtime) -> Any:
    return postgresql.insert if runtime.engine.dialect.name == "postgresql" else sqlite.insert


async def _first_time(
    session: AsyncSession, runtime: Runtime, device: StreamedDevice, topic: str, created_at: datetime, signals: int
) -> bool:
    statement = (
        _insert(runtime)(TelemetryRecord)
        .values(
            id=new_id("tlm"),
            workspace_id=device.workspace_id,
            connection_id=device.connection_id,
            device_id=device.id,
            topic=topic,
            created_at=created_at,
            received_at=utcnow(),
            signals=signals,
        )
        .on_conflict_do_nothing(index_elements=["device_id", "topic", "created_at"])
        .returning(TelemetryRecord.id)
    )
    return (await session.execute(statement)).first() is not None


async def _merge(
    session: AsyncSession, runtime: Runtime, device: StreamedDevice, values: dict[str, Any], made_at: datetime
) -> dict[str, tuple[Any, Any]]:
    state = await session.get(DeviceState, device.id, with_for_update=True, populate_existing=True)
    if state is None:
        # A car streaming before its first read: a state of nulls, dated from nothing polled, for the record to fill.
        blank = normalize.normalize_vehicle({}, with_location=device.location)
        await session.execute(
            _insert(runtime)(DeviceState)
            .values(
                device_id=device.id,
                workspace_id=device.workspace_id,
                fetched_at=made_at,
                data=blank,
                has_location=device.location,
            )
            .on_conflict_do_nothing(index_elements=["device_id"])
        )
        state = await session.get(DeviceState, device.id, with_for_update=True, populate_existing=True)
        assert state is not None  # inserted now, or by another process meanwhile
    data, times, changed = streamed_over_stored(state.data, state.field_times, state.polled_at, values, made_at)
    if not changed and times == (state.field_times or {}):
        return {}
    state.data, state.field_times = data, times
    if "location" in times:
        state.has_location = True
    if made_at >= state.fetched_at:
        state.fetched_at, state.streamed = made_at, True
    # A car that streams is online.
    if state.online_checked_at is None or made_at >= state.online_checked_at:
        state.online_state, state.online_checked_at = "online", made_at
        state.data = {**state.data, "online_state": "online"}
    return changed


async def _record_changes(
    session: AsyncSession, device: StreamedDevice, changed: dict[str, tuple[Any, Any]], made_at: datetime
) -> None:
    events: Sequence[tuple[str, dict[str, Any]]] = [
        (
            event,
            {
                "device_id": device.id,
                "field": name,
                "value": after,
                "previous": before,
                "measured_at": iso(made_at),
                "source": "telemetry",
            },
        )
        for name, (before, after) in changed.items()
        # A first value (nothing known before it) is no change.
        if (event := BY_NAME[name].event) is not None and before is not None
    ]
    await record_events(session, workspace_id=device.workspace_id, events=events)
