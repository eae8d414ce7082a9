from __future__ import annotations

from fastapi import APIRouter, Response

from fleetgate.features.connect.schemas import ConnectSessionIn, ConnectSessionOut
from fleetgate.features.connect.service import create_from_request, get_connect_session
from fleetgate.features.connect.views import present
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep
from fleetgate.infra.idempotency import IdempotencyKey

router = APIRouter(prefix="/v1/connect-sessions", tags=["connect"])


@router.post(
    "",
    status_code=201,
    responses={200: {"description": "A replay: this Idempotency-Key was used before with the same body"}},
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


@router.get("/{session_id}")
async def get(session_id: str, workspace: WorkspaceDep, session: SessionDep, runtime: RuntimeDep) -> ConnectSessionOut:
    return present(await get_connect_session(session, workspace.id, session_id), runtime)
