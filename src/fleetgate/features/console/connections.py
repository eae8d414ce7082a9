"""Connections: granted and missing access, status, and the remedies (a reconnect link, Tesla's manage-access page)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connect.schemas import ConnectSessionOut
from fleetgate.features.connect.service import build_connect_session
from fleetgate.features.connect.views import access_items, present
from fleetgate.features.connections.service import list_query
from fleetgate.features.connections.views import connection_out
from fleetgate.features.console.auth import ConsoleUserDep, FormUserDep
from fleetgate.features.console.errors import ConsolePageError, workspace_row
from fleetgate.features.console.listing import customer_references, page_params
from fleetgate.features.console.render import render, see_other
from fleetgate.features.devices.service import device_out, devices_of
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.errors import ValidationFailed
from fleetgate.infra.models import Connection, ConnectSession
from fleetgate.infra.pagination import paginate
from fleetgate.infra.runtime import Runtime

router = APIRouter()


async def workspace_connection(session: AsyncSession, workspace_id: str, connection_id: str) -> Connection:
    return await workspace_row(session, Connection, workspace_id, connection_id, "connection")


async def reconnect_link(
    session: AsyncSession, runtime: Runtime, connection: Connection, session_id: str | None
) -> ConnectSessionOut | None:
    """The reconnect session just created on this page, shown once the browser has followed the redirect."""
    if not session_id or len(session_id) > 40:
        return None
    found = await session.get(ConnectSession, session_id)
    if found is None or found.workspace_id != connection.workspace_id or found.connection_id != connection.id:
        return None
    return present(found, runtime)


@router.get("/console/connections")
async def connections(
    request: Request, user: ConsoleUserDep, session: SessionDep, runtime: RuntimeDep, cursor: str | None = None
) -> Response:
    rows, next_cursor = await paginate(session, list_query(user.workspace_id), Connection, page_params(cursor))
    items = [connection_out(runtime, row) for row in rows]
    context = {
        "title": "Connections",
        "section": "connections",
        "connections": items,
        "customers": await customer_references(session, user.workspace_id, (item.customer_id for item in items)),
        "next_url": f"/console/connections?cursor={next_cursor}" if next_cursor else None,
    }
    return render(request, "connections.html", context)


@router.get("/console/connections/{connection_id}")
async def connection(
    connection_id: str,
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    reconnect_session: str | None = None,
) -> Response:
    row = await workspace_connection(session, user.workspace_id, connection_id)
    out = connection_out(runtime, row)
    customers = await customer_references(session, user.workspace_id, [row.customer_id])
    context = {
        "title": f"Connection {row.id}",
        "section": "connections",
        "connection": out,
        "customer_reference": customers.get(row.customer_id, row.customer_id),
        "granted": access_items(out.granted_access),
        "missing": access_items(out.missing_access),
        "devices": [device_out(runtime, device, row) for device in await devices_of(session, row)],
        "reconnect": await reconnect_link(session, runtime, row, reconnect_session),
    }
    return render(request, "connection.html", context)


@router.post("/console/connections/{connection_id}/reconnect")
async def create_reconnect_link(
    connection_id: str, user: FormUserDep, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """What `POST /v1/connections/{id}/reconnect` does: a connect session that asks the user again."""
    row = await workspace_connection(session, user.workspace_id, connection_id)
    try:
        connect_session = await build_connect_session(
            session,
            runtime,
            workspace_id=user.workspace_id,
            customer_id=row.customer_id,
            access=list(row.requested_access or []),
            redirect_url=None,
            reconnect_connection_id=row.id,
        )
        session.add(connect_session)
    except ValidationFailed as exc:
        raise ConsolePageError(422, "No reconnect link", exc.message) from None
    return see_other(f"/console/connections/{row.id}?reconnect_session={connect_session.id}#reconnect-link")
