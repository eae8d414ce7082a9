"""The database side of state reads: the device with what a read needs in one query, the stored reading, the upsert
of a new one."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.models import Connection, Device, DeviceState
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
    )
    .join(Connection, Connection.id == Device.connection_id)
    .outerjoin(DeviceState, DeviceState.device_id == Device.id)
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


async def load_device(runtime: Runtime, workspace_id: str, device_id: str) -> LoadedDevice | None:
    """None for no such device in this workspace. Outside the request's transaction (`Runtime.reader`): a cached
    read then needs no other statement."""
    row = await runtime.reader.first(LOAD_DEVICE, {"device_id": device_id, "workspace_id": workspace_id})
    return LoadedDevice._make(row) if row is not None else None


STORED_RAW = select(DeviceState.raw).where(DeviceState.device_id == bindparam("device_id"))


async def stored_raw(runtime: Runtime, device_id: str) -> dict[str, Any] | None:
    row = await runtime.reader.first(STORED_RAW, {"device_id": device_id})
    return row[0] if row is not None else None


async def store(session: AsyncSession, runtime: Runtime, device_id: str, workspace_id: str, reading: Reading) -> None:
    """Upserts the reading; a slower read that finished after a newer one (another process's) does not replace it."""
    values: dict[str, Any] = {
        "device_id": device_id,
        "workspace_id": workspace_id,
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
