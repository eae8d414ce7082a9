from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connect.schemas import ConnectSessionOut
from fleetgate.features.connect.service import create_connect_session
from fleetgate.features.connect.views import present
from fleetgate.features.connections.fleet import upstream_errors
from fleetgate.features.connections.schemas import ConnectionOut, ReconnectIn, SyncedConnectionOut
from fleetgate.features.connections.service import (
    connection_out,
    delete_connection,
    devices_of,
    get_connection,
    list_query,
    sync_connection,
)
from fleetgate.features.devices.service import device_out
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep
from fleetgate.infra.models import Connection
from fleetgate.infra.pagination import Page, PageDep, paginate
from fleetgate.infra.runtime import Runtime

router = APIRouter(prefix="/v1/connections", tags=["connections"])


@router.get("")
async def list_connections(
    workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep, page: PageDep, customer_id: str | None = None
) -> Page[ConnectionOut]:
    rows, cursor = await paginate(session, list_query(workspace.id, customer_id), Connection, page)
    return Page(data=[connection_out(runtime, row) for row in rows], next_cursor=cursor)


@router.get("/{connection_id}")
async def get(connection_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep) -> ConnectionOut:
    return connection_out(runtime, await get_connection(session, workspace.id, connection_id))


@router.post("/{connection_id}/reconnect", status_code=201)
async def reconnect(
    connection_id: str,
    workspace: WorkspaceDep,
    session: SessionDep,
    runtime: RuntimeDep,
    body: ReconnectIn | None = None,
) -> ConnectSessionOut:
    """A connect session that asks the user again (Tesla prompts for the scopes not granted yet); completing it
    updates this connection."""
    body = body or ReconnectIn()
    connection = await get_connection(session, workspace.id, connection_id)
    connect_session = await create_connect_session(
        session,
        runtime,
        workspace_id=workspace.id,
        customer_id=connection.customer_id,
        # Checked there: an unknown name is a 422 naming the field, not silently dropped.
        access=[*(connection.requested_access or []), *body.access],
        redirect_url=body.redirect_url,
        reconnect_connection_id=connection.id,
    )
    return present(connect_session, runtime)


@router.post("/{connection_id}/sync")
async def sync(
    connection_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep
) -> SyncedConnectionOut:
    """Renews the access token (scope changes made on Tesla's side arrive with it) and rediscovers the devices."""
    # Writes wait until Tesla has answered, so this request holds no database lock while a refresh may need one.
    with session.no_autoflush:
        connection = await get_connection(session, workspace.id, connection_id)
        async with upstream_errors(runtime, session, connection):
            await sync_connection(session, runtime, connection)
    return await synced_out(session, runtime, connection)


@router.delete("/{connection_id}")
async def delete(
    connection_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep
) -> ConnectionOut:
    connection = await get_connection(session, workspace.id, connection_id)
    return connection_out(runtime, await delete_connection(session, runtime, connection))


async def synced_out(session: AsyncSession, runtime: Runtime, connection: Connection) -> SyncedConnectionOut:
    out = connection_out(runtime, connection)
    devices = [device_out(runtime, device, connection) for device in await devices_of(session, connection)]
    return SyncedConnectionOut(**out.model_dump(), devices=devices)
