from __future__ import annotations

from fastapi import APIRouter, Response

from fleetgate.features.connect.schemas import ConnectSessionIn, ConnectSessionOut, ReconnectIn
from fleetgate.features.connect.service import build_connect_session, create_from_request, get_connect_session
from fleetgate.features.connect.views import present
from fleetgate.features.connections.errors import ConnectionRevoked
from fleetgate.features.connections.service import get_connection
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep
from fleetgate.infra.errors import IdempotencyConflict, NotFound
from fleetgate.infra.idempotency import IdempotencyKey
from fleetgate.infra.openapi import documented_errors, replayed

router = APIRouter(tags=["connect"])


@router.post(
    "/v1/connect-sessions",
    name="create_connect_session",
    summary="Create a connect session",
    status_code=201,
    responses={
        **replayed(ConnectSessionOut),
        **documented_errors(NotFound, IdempotencyConflict, s404="`customer_id` or the connection to reconnect"),
    },
)
async def create(
    body: ConnectSessionIn,
    workspace: WorkspaceDep,
    session: SessionDep,
    runtime: RuntimeDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ConnectSessionOut:
    connect_session, created = await create_from_request(session, runtime, workspace.id, body, idempotency_key)
    if not created:
        response.status_code = 200
    return present(connect_session, runtime)


@router.get("/v1/connect-sessions/{session_id}", name="get_connect_session", summary="Read a connect session")
async def get(session_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep) -> ConnectSessionOut:
    return present(await get_connect_session(session, workspace.id, session_id), runtime)


@router.post(
    "/v1/connections/{connection_id}/reconnect",
    name="reconnect_connection",
    summary="Create a connect session that reconnects a connection",
    status_code=201,
    tags=["connections"],
    responses=documented_errors(ConnectionRevoked),
)
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
    connect_session = await build_connect_session(
        session,
        runtime,
        workspace_id=workspace.id,
        customer_id=connection.customer_id,
        # Checked there: an unknown name is a 422 naming the field, not silently dropped.
        access=[*(connection.requested_access or []), *body.access],
        redirect_url=body.redirect_url,
        reconnect_connection_id=connection.id,
    )
    session.add(connect_session)
    return present(connect_session, runtime)
