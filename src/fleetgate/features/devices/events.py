"""Events about devices, recorded in the transaction of the change they describe."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.devices.service import connection_of, device_out
from fleetgate.features.events.service import record_event, record_events
from fleetgate.infra.models import Connection, Device, Event
from fleetgate.infra.runtime import Runtime


async def record_device_event(
    session: AsyncSession, runtime: Runtime, event_type: str, device: Device, connection: Connection | None = None
) -> Event:
    """`device` must be flushed (its timestamps are part of the view)."""
    connection = connection or await connection_of(session, device)
    data = device_out(runtime, device, connection).model_dump(mode="json")
    return await record_event(session, workspace_id=device.workspace_id, type=event_type, data=data)


async def record_device_events(
    session: AsyncSession, runtime: Runtime, changes: list[tuple[str, Device]], connection: Connection
) -> list[Event]:
    """One event per (type, device), in order, for devices of one connection (all flushed)."""
    events = [
        (event_type, device_out(runtime, device, connection).model_dump(mode="json")) for event_type, device in changes
    ]
    return await record_events(session, workspace_id=connection.workspace_id, events=events)
