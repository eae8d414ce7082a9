"""Events about connections, recorded in the transaction of the change they describe."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connections.views import connection_out
from fleetgate.features.events.service import record_event
from fleetgate.infra.models import Connection, Event
from fleetgate.infra.runtime import Runtime


async def record_connection_event(
    session: AsyncSession, runtime: Runtime, event_type: str, connection: Connection
) -> Event:
    """`connection` must be flushed (its timestamps are part of the view)."""
    data = connection_out(runtime, connection).model_dump(mode="json")
    return await record_event(session, workspace_id=connection.workspace_id, type=event_type, data=data)
