"""Named dependencies, so that route signatures read as prose and auth rules live in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.transaction import request_transaction
from fleetgate.infra.errors import Unauthenticated
from fleetgate.infra.models import ApiKey, Workspace
from fleetgate.infra.runtime import Runtime, runtime_of
from fleetgate.infra.security.api_keys import hash_api_key, looks_like_api_key
from fleetgate.infra.security.key_cache import CurrentWorkspace, KnownKey

RuntimeDep = Annotated[Runtime, Depends(runtime_of)]
LAST_USED_PRECISION = timedelta(minutes=1)


async def db_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with request_transaction(runtime.sessionmaker) as session:
        yield session


# "function" scope: the commit happens before the response is sent, so a client never acts on a 201 or a redirect
# whose row is not there yet, and a failed commit is an error the client sees.
SessionDep = Annotated[AsyncSession, Depends(db_session, scope="function")]


# Reads `Authorization: Bearer …` for `current_workspace` and declares it in the OpenAPI document (the Authorize
# button of /docs, the security of each operation); what it does not take is refused below, with the API's errors.
API_KEY = HTTPBearer(
    scheme_name="ApiKey",
    bearerFormat="fg_<id>_<secret>",
    description="A workspace's API key (`fleetgate apikey create`), as `Authorization: Bearer fg_…`",
    auto_error=False,
)


async def current_workspace(
    request: Request,
    runtime: RuntimeDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(API_KEY)],
) -> CurrentWorkspace:
    key = bearer.credentials.strip() if bearer is not None else ""
    if not looks_like_api_key(key):
        raise _not_a_key(request.headers.get("authorization", ""))
    key_hash = hash_api_key(key)
    known = runtime.api_keys.get(key_hash)
    if known is None:
        known = await _look_up(runtime, key_hash)
        runtime.api_keys.put(key_hash, known)
    now = utcnow()
    # At most once a minute per key, and in a transaction of its own: writing it in the request's transaction would
    # take SQLite's write lock before the request has done anything, and make every read a write. The side engine
    # is a pool of its own: a burst of requests each holding a main pool connection must not wait for a second one.
    if known.last_used_at is None or now - known.last_used_at > LAST_USED_PRECISION:
        async with runtime.side_sessionmaker() as own, own.begin():
            await own.execute(update(ApiKey).where(ApiKey.id == known.api_key_id).values(last_used_at=now))
        runtime.api_keys.used(key_hash, now)
    request.state.workspace_id = known.workspace.id
    return known.workspace


def _not_a_key(header: str) -> Unauthenticated:
    remedy = {"action": "create_api_key", "command": "fleetgate apikey create --workspace <id>"}
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if not header:
        return Unauthenticated("Send your API key as `Authorization: Bearer fg_…`.", remedy=remedy)
    if scheme.lower() != "bearer":
        # The scheme is named only when it is one (a word): a header with no scheme may be the key itself.
        named = f"the `{scheme}` scheme" if scheme.isalpha() and len(scheme) <= 12 and key else "no scheme"
        return Unauthenticated(
            f"The Authorization header uses {named}; send your API key as `Bearer fg_…`.", remedy=remedy
        )
    # Never echoed: whatever was sent may be a secret of some other system.
    return Unauthenticated(
        "The Bearer token is missing or is not a fleetgate API key: keys start with `fg_` and are printed once, in "
        "full, when created.",
        remedy=remedy,
    )


# The key and its workspace in one query, outside the request's transaction.
LOOK_UP_KEY = (
    select(ApiKey.id, ApiKey.revoked_at, ApiKey.last_used_at, Workspace.id, Workspace.name)
    .outerjoin(Workspace, Workspace.id == ApiKey.workspace_id)
    .where(ApiKey.key_hash == bindparam("key_hash"))
)


async def _look_up(runtime: Runtime, key_hash: str) -> KnownKey:
    found = await runtime.reader.first(LOOK_UP_KEY, {"key_hash": key_hash})
    if found is None or found[1] is not None:
        raise Unauthenticated("This API key is not valid (unknown or revoked).")
    api_key_id, _, last_used_at, workspace_id, workspace_name = found
    if workspace_id is None:
        raise Unauthenticated("This API key's workspace no longer exists.")
    return KnownKey(api_key_id, CurrentWorkspace(workspace_id, workspace_name), last_used_at)


WorkspaceDep = Annotated[CurrentWorkspace, Depends(current_workspace)]
