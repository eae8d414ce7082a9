from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from fleetgate.connect.schemas import ConnectSessionIn, ConnectSessionOut, SessionError
from fleetgate.connect.service import create_from_request, current_status, get_connect_session
from fleetgate.dependencies import SessionDep, StateDep, WorkspaceDep
from fleetgate.models import ConnectSession
from fleetgate.state import AppState

router = APIRouter(prefix="/v1/connect-sessions", tags=["connect"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Retrying with the same key and body returns the same session (200) instead of a new one",
    ),
]


def present(connect_session: ConnectSession, state: AppState) -> ConnectSessionOut:
    result = connect_session.result or {}
    error = (
        SessionError(code=connect_session.error_code, message=connect_session.error_message or "")
        if connect_session.error_code
        else None
    )
    return ConnectSessionOut(
        id=connect_session.id,
        url=f"{state.settings.public_url.rstrip('/')}/connect/{connect_session.id}",
        status=current_status(connect_session),
        expires_at=connect_session.expires_at,
        customer_id=connect_session.customer_id,
        access=list(connect_session.requested_access),
        require_all=connect_session.require_all,
        reconnect=connect_session.reconnect,
        connection_id=connect_session.connection_id,
        redirect_url=connect_session.redirect_url,
        granted_access=result.get("granted_access"),
        missing_access=result.get("missing_access"),
        error=error,
        created_at=connect_session.created_at,
        completed_at=connect_session.completed_at,
    )


@router.post(
    "",
    status_code=201,
    responses={200: {"description": "A replay: this Idempotency-Key was used before with the same body"}},
)
async def create(
    body: ConnectSessionIn,
    workspace: WorkspaceDep,
    session: SessionDep,
    state: StateDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ConnectSessionOut:
    connect_session, created = await create_from_request(session, state, workspace.id, body, idempotency_key)
    if not created:
        response.status_code = 200
    return present(connect_session, state)


@router.get("/{session_id}")
async def get(session_id: str, workspace: WorkspaceDep, session: SessionDep, state: StateDep) -> ConnectSessionOut:
    return present(await get_connect_session(session, workspace.id, session_id), state)
