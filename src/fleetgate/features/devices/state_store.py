"""The database side of state reads: the device with what a read needs in one query, the stored reading, the upsert
of a new one."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.devices.state_merge import polled_over_stored
from fleetgate.infra.models import Connection, Device, DeviceState, TelemetryConnectivity
from fleetgate.infra.models.device_state import Reading
from fleetgate.infra.runtime import Runtime

# Device, connection and stored state in one query of plain columns: the whole database cost of a cached read
# (ORM objects cost more to build than the query takes). Built once, as it is the same for every request.
LOAD_DEVICE = (
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
        DeviceState.streamed,
        DeviceState.field_times,
        TelemetryConnectivity.connected,
        TelemetryConnectivity.seen_at,
    )
    .join(Connection, Connection.id == Device.connection_id)
    .outerjoin(DeviceState, DeviceState.device_id == Device.id)
    .outerjoin(TelemetryConnectivity, TelemetryConnectivity.device_id == Device.id)
    .where(Device.id == bindparam("device_id"), Device.workspace_id == bindparam("workspace_id"))
)


class LoadedDevice(NamedTuple):
    """The columns of `LOAD_DEVICE`."""

    device_id: str
    workspace_id: str
    type: str
    external_id: str
    status: str
    connection_id: str
    changed_at: datetime | None
    connection_status: str
    status_reason: str | None
    scopes: list[str] | None
    fetched_at: datetime | None  # the stored reading's, if there is one
    online_state: str | None
    data: dict[str, Any] | None
    has_location: bool | None
    streamed: bool | None
    field_times: dict[str, str] | None
    stream_connected: bool | None  # the car's Fleet Telemetry stream, as the receiver last said
    stream_seen_at: datetime | None


async def load_device(runtime: Runtime, workspace_id: str, device_id: str) -> LoadedDevice | None:
    """None for no such device in this workspace. Outside the request's transaction (`Runtime.reader`): a cached
    read then needs no other statement."""
    row = await runtime.reader.first(LOAD_DEVICE, {"device_id": device_id, "workspace_id": workspace_id})
    return LoadedDevice._make(row) if row is not None else None


STORED_RAW = select(DeviceState.raw).where(DeviceState.device_id == bindparam("device_id"))


async def stored_raw(runtime: Runtime, device_id: str) -> dict[str, Any] | None:
    row = await runtime.reader.first(STORED_RAW, {"device_id": device_id})
    return row[0] if row is not None else None


STORED_FOR_POLL = (
    select(DeviceState.fetched_at, DeviceState.data, DeviceState.field_times)
    .where(DeviceState.device_id == bindparam("device_id"))
    .with_for_update()
)


async def store(
    session: AsyncSession, runtime: Runtime, device_id: str, workspace_id: str, reading: Reading
) -> Reading:
    """Upserts a polled reading; a slower read that finished after a newer one (another process's) does not replace
    it, and fields the car streamed after the read keep their streamed values (`state_merge`). Answers the reading
    with those fields, as the state now is."""
    data, field_times, fetched_at = reading.data, None, reading.fetched_at
    stored = (await session.execute(STORED_FOR_POLL, {"device_id": device_id})).first()
    if stored is not None and stored.field_times:
        data, field_times = polled_over_stored(reading.data, reading.fetched_at, stored.data, stored.field_times)
        fetched_at = max(fetched_at, stored.fetched_at) if field_times else fetched_at
    values: dict[str, Any] = {
        "device_id": device_id,
        "workspace_id": workspace_id,
        "fetched_at": fetched_at,
        "polled_at": reading.fetched_at,
        "online_state": reading.online_state,
        "online_checked_at": reading.fetched_at,
        "data": data,
        "raw": reading.raw,
        "has_location": reading.has_location,
        "field_times": field_times or None,
        "streamed": bool(field_times) and fetched_at > reading.fetched_at,
    }
    insert = postgresql.insert if runtime.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(DeviceState).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[DeviceState.device_id],
        set_={name: statement.excluded[name] for name in values if name != "device_id"},
        where=DeviceState.polled_at.is_(None) | (DeviceState.polled_at < statement.excluded.polled_at),
    )
    await session.execute(statement)
    return replace(reading, fetched_at=fetched_at, data=data, streamed=values["streamed"], field_times=field_times)
