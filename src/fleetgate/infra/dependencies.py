"""Named dependencies, so that route signatures read as prose and auth rules live in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.errors import Unauthenticated
from fleetgate.infra.models import ApiKey, Workspace
from fleetgate.infra.runtime import Runtime, runtime_of
from fleetgate.infra.security.api_keys import hash_api_key, looks_like_api_key

RuntimeDep = Annotated[Runtime, Depends(runtime_of)]
LAST_USED_PRECISION = timedelta(minutes=1)


async def db_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the handler returns, rolled back when it raises."""
    async with runtime.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


# "function" scope: the commit happens before the response is sent, so a client never acts on a 201 or a redirect
# whose row is not there yet, and a failed commit is an error the client sees.
SessionDep = Annotated[AsyncSession, Depends(db_session, scope="function")]


async def current_workspace(request: Request, session: SessionDep, runtime: RuntimeDep) -> Workspace:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not looks_like_api_key(key):
        raise Unauthenticated(
            "Send your API key as `Authorization: Bearer fg_…`.",
            remedy={"action": "create_api_key", "command": "fleetgate apikey create --workspace <id>"},
        )
    # One query for the key and its workspace: every authenticated request pays for it.
    found = (
        await session.execute(
            select(ApiKey, Workspace)
            .outerjoin(Workspace, Workspace.id == ApiKey.workspace_id)
            .where(ApiKey.key_hash == hash_api_key(key))
        )
    ).first()
    if found is None or found[0].revoked_at is not None:
        raise Unauthenticated("This API key is not valid (unknown or revoked).")
    api_key, workspace = found
    if workspace is None:
        raise Unauthenticated("This API key's workspace no longer exists.")
    now = utcnow()
    # At most once a minute per key, and in a transaction of its own: writing it in the request's transaction would
    # take SQLite's write lock before the request has done anything, and make every read a write. The side engine
    # has no pool: a burst of requests each holding a pooled connection must not wait for a second one.
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_PRECISION:
        async with runtime.side_sessionmaker() as own, own.begin():
            await own.execute(update(ApiKey).where(ApiKey.id == api_key.id).values(last_used_at=now))
    request.state.workspace_id = workspace.id
    return workspace


WorkspaceDep = Annotated[Workspace, Depends(current_workspace)]
