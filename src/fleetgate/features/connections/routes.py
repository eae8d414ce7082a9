from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connections.schemas import ConnectionOut
from fleetgate.features.connections.service import disconnect, get_connection, list_query
from fleetgate.features.connections.tesla_errors import TESLA_ACCOUNT_ERRORS, upstream_errors
from fleetgate.features.connections.views import connection_out
from fleetgate.features.devices.discovery import remove_devices, sync_connection
from fleetgate.features.devices.schemas import SyncedConnectionOut
from fleetgate.features.devices.service import device_out, devices_of
from fleetgate.infra.db.release import release
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep
from fleetgate.infra.models import Connection
from fleetgate.infra.openapi import documented_errors
from fleetgate.infra.pagination import Page, PageDep, paginate
from fleetgate.infra.runtime import Runtime

router = APIRouter(tags=["connections"])


@router.get("/v1/connections", name="list_connections", summary="List connections")
async def list_connections(
    workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep, page: PageDep, customer_id: str | None = None
) -> Page[ConnectionOut]:
    rows, cursor = await paginate(session, list_query(workspace.id, customer_id), Connection, page)
    return Page(data=[connection_out(runtime, row) for row in rows], next_cursor=cursor)


@router.get("/v1/connections/{connection_id}", name="get_connection", summary="Read a connection")
async def get(connection_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep) -> ConnectionOut:
    return connection_out(runtime, await get_connection(session, workspace.id, connection_id))


@router.post(
    "/v1/connections/{connection_id}/sync",
    name="sync_connection",
    summary="Renew a connection's token and rediscover its devices",
    responses=documented_errors(*TESLA_ACCOUNT_ERRORS),
)
async def sync(
    connection_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep
) -> SyncedConnectionOut:
    """Renews the access token (scope changes made on Tesla's side arrive with it) and rediscovers the devices."""
    connection = await get_connection(session, workspace.id, connection_id)
    # No database connection held while Tesla answers (the refresh, then the products): the devices are written in a
    # transaction begun after it.
    await release(session)
    async with upstream_errors(runtime, session, connection):
        await sync_connection(session, runtime, connection)
    return await synced_out(session, runtime, connection)


@router.delete("/v1/connections/{connection_id}", name="delete_connection", summary="Disconnect a Tesla account")
async def delete(
    connection_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep
) -> ConnectionOut:
    """Erases the connection's Tesla tokens and marks its devices removed; deleting again changes nothing."""
    connection = await get_connection(session, workspace.id, connection_id)
    if await disconnect(session, runtime, connection):
        await remove_devices(session, runtime, connection)
    return connection_out(runtime, connection)


async def synced_out(session: AsyncSession, runtime: Runtime, connection: Connection) -> SyncedConnectionOut:
    out = connection_out(runtime, connection)
    devices = [device_out(runtime, device, connection) for device in await devices_of(session, connection)]
    return SyncedConnectionOut(**out.model_dump(), devices=devices)
