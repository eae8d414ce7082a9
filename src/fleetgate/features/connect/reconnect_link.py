"""The reconnect link (`remedies.reconnect_link`): a page the user opens themselves, from an email or a notification,
that starts the same reconnect as `POST /v1/connections/{id}/reconnect`.

Opening the link changes nothing (mail scanners and link previews open links too); the button posts back to it, and
only then is a connect session made and the user sent to Tesla.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import missing_access
from fleetgate.features.connect.pages import notice, redirect, render
from fleetgate.features.connect.service import build_connect_session
from fleetgate.features.connect.views import access_items, brand
from fleetgate.features.connections.remedies import reconnect_link_subject
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.models import Connection, ConnectSession
from fleetgate.infra.runtime import Runtime

router = APIRouter()


def link_not_valid(request: Request, runtime: Runtime) -> Response:
    return notice(
        request,
        runtime,
        410,
        app=None,
        title="This link has expired",
        message="Links to reconnect a Tesla account work for a limited time, and this one has run out or is damaged.",
        hint="Go back to the app that sent it and ask for a new link.",
    )


async def linked_connection(
    session: AsyncSession, runtime: Runtime, token: str
) -> tuple[Connection, ConnectSession] | None:
    """The connection the link names and the connect session that last linked it (its app, access and way back)."""
    connection_id = reconnect_link_subject(runtime.links, token, utcnow())
    connection = await session.get(Connection, connection_id) if connection_id else None
    if connection is None:
        return None
    latest = await session.scalar(
        select(ConnectSession)
        .where(ConnectSession.connection_id == connection.id, ConnectSession.workspace_id == connection.workspace_id)
        .order_by(ConnectSession.created_at.desc(), ConnectSession.id.desc())
        .limit(1)
    )
    return (connection, latest) if latest is not None else None


@router.get("/connect/reconnect/{token}")
async def reconnect_page(token: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    found = await linked_connection(session, runtime, token)
    if found is None:
        return link_not_valid(request, runtime)
    connection, latest = found
    requested = connection.requested_access or []
    context = {
        "brand": await brand(session, latest),
        "access": access_items(requested),
        "missing": access_items(missing_access(requested, connection.granted_scopes or [])),
        "action_url": f"/connect/reconnect/{token}",
    }
    return render(request, runtime, "connect_reconnect.html", context)


@router.post("/connect/reconnect/{token}")
async def start_reconnect(token: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    found = await linked_connection(session, runtime, token)
    if found is None:
        return link_not_valid(request, runtime)
    connection, latest = found
    fresh = await build_connect_session(
        session,
        runtime,
        workspace_id=connection.workspace_id,
        customer_id=connection.customer_id,
        access=list(connection.requested_access or latest.requested_access),
        redirect_url=latest.redirect_url,
        require_all=latest.require_all,
        reconnect_connection_id=connection.id,
    )
    session.add(fresh)
    return redirect(runtime, f"/connect/{fresh.id}/start")
