"""Records cars streamed, stored many to a transaction: the receiver acks each only once its batch has committed
(`ingest_queue` makes the batches).

What identifies a record across a resend is the car's own moment of it, per topic: a car that got no ack sends the
same record again (`delivery_policy: latest`), marked `is_resend`, under a new transaction id, so the envelope's
txid and message id tell nothing. `telemetry_records` holds (device, topic, created_at) once: a record already
there, or earlier in the same batch, is a duplicate, changes nothing and is acked all the same.

A record feeds every device fleetgate has for its VIN (a car can be linked in more than one workspace) whose
connection may read its data; the location only where it may read the location. Its fields, mapped through
`fields.CATALOGUE`, merge into the stored state (`ingest_state`), the changes of fields marked with an event become
events, and its signals (datums, Tesla's billing unit) are counted in the usage ledger as `streaming_signals`.

Locks are taken in one order by every batch (record keys sorted, then states and streams by device id), so that
batches of several receivers wait for each other rather than deadlock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import BY_DEVICE_TYPE, VEHICLE, ConnectionFacts, decide
from fleetgate.features.events.service import record_events
from fleetgate.features.events.types import VEHICLE_ALERT
from fleetgate.features.telemetry.fields import BY_NAME, BY_TESLA_FIELD
from fleetgate.features.telemetry.ingest_state import Blank, locked_states, write_states
from fleetgate.infra.db.base import iso, utcnow
from fleetgate.infra.models import Connection, Device, TelemetryConnectivity, TelemetryRecord
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.protocol.telemetry.records import (
    TOPIC_ALERTS,
    TOPIC_ERRORS,
    TOPIC_VEHICLE_DATA,
    Alert,
    Connectivity,
    TelemetryValue,
    VehicleAlerts,
    VehicleData,
    VehicleErrors,
)

Record = VehicleData | VehicleAlerts | VehicleErrors | Connectivity
CONNECTED, DISCONNECTED = "CONNECTED", "DISCONNECTED"  # a `Connectivity`'s status
RECORDS = cast(Table, TelemetryRecord.__table__)
TOPICS: Mapping[type, str] = {
    VehicleData: TOPIC_VEHICLE_DATA.decode(),
    VehicleAlerts: TOPIC_ALERTS.decode(),
    VehicleErrors: TOPIC_ERRORS.decode(),
}


INSERT_RECORD = {
    name: dialect.insert(RECORDS)
    .on_conflict_do_nothing(index_elements=["device_id", "topic", "created_at"])
    .returning(RECORDS.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


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


@dataclass(frozen=True, slots=True)
class Incoming:
    """A record as the receiver took it: `vin` is the one of the car's certificate; the record's own is not
    trusted. A `Connectivity` is the receiver's own record of a socket opened or closed."""

    vin: str
    record: Record


@dataclass(frozen=True, slots=True)
class Ingested:
    outcome: Outcome
    fed: list[StreamedDevice]  # the devices the record fed (for the brokers' message, with no second read)


def signals_of(record: Record) -> int:
    """Tesla bills each datum of a record, each alert, each error."""
    if isinstance(record, VehicleData):
        return len(record.data)
    if isinstance(record, VehicleAlerts):
        return len(record.alerts)
    if isinstance(record, VehicleErrors):
        return len(record.errors)
    return 0


async def ingest(runtime: Runtime, batch: Sequence[Incoming]) -> list[Ingested]:
    """The batch in one transaction; its outcomes in its order."""
    async with runtime.sessionmaker() as session, session.begin():
        return await ingest_in(session, batch)


async def ingest_in(session: AsyncSession, batch: Sequence[Incoming]) -> list[Ingested]:
    devices = await devices_fed_by(session, {item.vin for item in batch})
    fed = [devices.get(item.vin, []) for item in batch]
    kept = await _kept_records(session, batch, fed)
    events = Events()
    await _merge_states(session, batch, kept, events)
    _announce_alerts(batch, kept, events)
    await _record_connectivity(session, batch, fed)
    await events.record(session)
    return [
        Ingested(_outcome(item, devices_of, kept[index]), devices_of)
        for index, (item, devices_of) in enumerate(zip(batch, fed, strict=True))
    ]


def _outcome(item: Incoming, devices: list[StreamedDevice], kept: Collection[StreamedDevice]) -> Outcome:
    if not devices:
        return Outcome.UNKNOWN_VEHICLE
    return Outcome.STORED if kept or isinstance(item.record, Connectivity) else Outcome.DUPLICATE


DEVICES_OF_VINS = (
    select(
        Device.external_id,
        Device.id,
        Device.workspace_id,
        Device.connection_id,
        Device.status,
        Connection.status,
        Connection.status_reason,
        Connection.granted_scopes,
    )
    .join(Connection, Connection.id == Device.connection_id)
    .where(
        Device.external_id.in_(bindparam("vins", expanding=True)),
        Device.type == VEHICLE,
        Device.status == DeviceStatus.ACTIVE.value,
    )
    .order_by(Device.id)
)


async def devices_fed_by(session: AsyncSession, vins: Collection[str]) -> dict[str, list[StreamedDevice]]:
    """The devices each VIN's records feed: those whose connection may read the car's data."""
    capabilities = BY_DEVICE_TYPE[VEHICLE]
    found: dict[str, list[StreamedDevice]] = defaultdict(list)
    if not vins:
        return found
    rows = await session.execute(DEVICES_OF_VINS, {"vins": sorted(vins)})
    for vin, device_id, workspace_id, connection_id, status, conn_status, reason, scopes in rows:
        # No remedies: nobody is shown this decision, and a record is no time to sign reconnect links.
        facts = ConnectionFacts(connection_id, conn_status, reason, frozenset(scopes or ()), {})
        if not decide(capabilities["read_data"], facts, status, None).available:
            continue
        location = decide(capabilities["read_location"], facts, status, None).available
        found[vin].append(StreamedDevice(device_id, workspace_id, connection_id, location))
    return found


async def _kept_records(
    session: AsyncSession, batch: Sequence[Incoming], fed: Sequence[list[StreamedDevice]]
) -> list[list[StreamedDevice]]:
    """Each record's row per device it feeds, inserted unless there already; per record, the devices that had not
    seen it."""
    received_at = utcnow()
    rows: dict[tuple[str, str, datetime], dict[str, Any]] = {}
    owners: dict[str, tuple[int, StreamedDevice]] = {}
    for index, (item, devices) in enumerate(zip(batch, fed, strict=True)):
        topic = TOPICS.get(type(item.record))
        if topic is None:
            continue
        for device in devices:
            key = (device.id, topic, item.record.created_at)
            if key in rows:
                continue  # a resend that came in the same batch
            row_id = new_id("tlm")
            owners[row_id] = (index, device)
            rows[key] = {
                "id": row_id,
                "workspace_id": device.workspace_id,
                "connection_id": device.connection_id,
                "device_id": device.id,
                "topic": topic,
                "created_at": item.record.created_at,
                "received_at": received_at,
                "signals": signals_of(item.record),
            }
    kept: list[list[StreamedDevice]] = [[] for _ in batch]
    if not rows:
        return kept
    insert = INSERT_RECORD[session.get_bind().dialect.name]
    # Many rows to one statement built once: SQLAlchemy sends them as inserts of many VALUES ("insertmanyvalues").
    for (row_id,) in await session.execute(insert, [rows[key] for key in sorted(rows)]):
        index, device = owners[row_id]
        kept[index].append(device)
    return kept


@dataclass
class Events:
    """The batch's events by workspace, each workspace's in the order they came."""

    by_workspace: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, workspace_id: str, events: Iterable[tuple[str, dict[str, Any]]]) -> None:
        self.by_workspace[workspace_id].extend(events)

    async def record(self, session: AsyncSession) -> None:
        for workspace_id, events in sorted(self.by_workspace.items()):
            await record_events(session, workspace_id=workspace_id, events=events)


async def _merge_states(
    session: AsyncSession, batch: Sequence[Incoming], kept: Sequence[list[StreamedDevice]], events: Events
) -> None:
    merges: dict[str, list[tuple[datetime, StreamedDevice, dict[str, Any]]]] = defaultdict(list)
    for item, devices in zip(batch, kept, strict=True):
        if not isinstance(item.record, VehicleData):
            continue
        # A car's clock ahead of ours would make its values outlive every later poll.
        made_at = min(item.record.created_at, utcnow())
        for device in devices:
            values = state_values(item.record.data, location=device.location)
            if values:
                merges[device.id].append((made_at, device, values))
    if not merges:
        return
    for found in merges.values():
        # In the order the car made them: a resend of an older record may come after newer ones.
        found.sort(key=lambda merge: merge[0])
    blanks = [Blank(id, found[0][1].workspace_id, found[0][1].location, found[0][0]) for id, found in merges.items()]
    states = await locked_states(session, blanks)
    for device_id, found in merges.items():
        state = states[device_id]
        for made_at, device, values in found:
            events.add(device.workspace_id, _change_events(device, state.merge(values, made_at), made_at))
    await write_states(session, states.values())


def _change_events(
    device: StreamedDevice, changed: dict[str, tuple[Any, Any]], made_at: datetime
) -> list[tuple[str, dict[str, Any]]]:
    return [
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


def _announce_alerts(batch: Sequence[Incoming], kept: Sequence[list[StreamedDevice]], events: Events) -> None:
    """Each alert of a record a device sees for the first time is a `vehicle.alert` event."""
    for item, devices in zip(batch, kept, strict=True):
        record = item.record
        if isinstance(record, VehicleAlerts):
            for device in devices:
                alerts = [(VEHICLE_ALERT, _alert_data(device, alert, record.created_at)) for alert in record.alerts]
                events.add(device.workspace_id, alerts)


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


async def _record_connectivity(
    session: AsyncSession, batch: Sequence[Incoming], fed: Sequence[list[StreamedDevice]]
) -> None:
    """Whether each car's stream is open, per device of its VIN. A disconnect of an older stream does not close a
    newer one."""
    changes = [
        (item.record, devices)
        for item, devices in zip(batch, fed, strict=True)
        if isinstance(item.record, Connectivity) and devices
    ]
    if not changes:
        return
    ids = sorted({device.id for _, devices in changes for device in devices})
    query = (
        select(TelemetryConnectivity)
        .where(TelemetryConnectivity.device_id.in_(ids))
        .order_by(TelemetryConnectivity.device_id)
        .with_for_update()
    )
    rows = {row.device_id: row for row in await session.scalars(query)}
    for change, devices in changes:
        connected = change.status == CONNECTED
        interface = change.network_interface or None
        for device in devices:
            row = rows.get(device.id)
            if row is None:
                rows[device.id] = row = TelemetryConnectivity(
                    device_id=device.id,
                    workspace_id=device.workspace_id,
                    connected=connected,
                    stream_id=change.connection_id,
                    network_interface=interface,
                    changed_at=change.created_at,
                    seen_at=change.created_at,
                )
                session.add(row)
                continue
            if not connected and row.stream_id != change.connection_id:
                continue
            row.connected, row.stream_id, row.network_interface = connected, change.connection_id, interface
            row.changed_at = row.seen_at = change.created_at


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
        for catalogued in BY_TESLA_FIELD.get(tesla_name, ()):
            if catalogued.access == "vehicle_location" and not location:
                continue
            values[catalogued.name] = catalogued.convert(value)
    return values
