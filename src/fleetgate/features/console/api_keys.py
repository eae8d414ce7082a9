"""The workspace's API keys: listed (never the key itself), created (shown once, stored hashed, by the same service
as `fleetgate apikey create`) and revoked (refused by this process at once)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from fleetgate.features.console.auth import ConsoleUserDep, FormUserDep
from fleetgate.features.console.errors import workspace_row
from fleetgate.features.console.flash import Flash
from fleetgate.features.console.render import done, render
from fleetgate.features.workspaces.revocation import revoke_api_key
from fleetgate.features.workspaces.service import create_api_key
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.models import ApiKey

router = APIRouter()
PAGE = "/console/api-keys"
NAME_LIMIT = 200


@router.get(PAGE)
async def api_keys(request: Request, user: ConsoleUserDep, session: SessionDep) -> Response:
    keys = await session.scalars(
        select(ApiKey).where(ApiKey.workspace_id == user.workspace_id).order_by(ApiKey.created_at.desc(), ApiKey.id)
    )
    context = {"title": "API keys", "section": "api-keys", "keys": list(keys.all()), "name_limit": NAME_LIMIT}
    return render(request, "api_keys.html", context)


@router.post(PAGE)
async def create(
    request: Request, user: FormUserDep, session: SessionDep, name: Annotated[str, Form()] = ""
) -> Response:
    name = name.strip()
    if len(name) > NAME_LIMIT:
        return done(request, PAGE, Flash("bad", f"No key created: a key's name has at most {NAME_LIMIT} characters."))
    api_key, fresh = await create_api_key(session, user.workspace_id, name)
    message = f"API key {api_key.prefix}… created. Copy it now: it is shown only once, and stored only as a hash."
    return done(request, PAGE, Flash("ok", message, secret=fresh.key))


@router.post(PAGE + "/{api_key_id}/revoke")
async def revoke(
    api_key_id: str, request: Request, user: FormUserDep, session: SessionDep, runtime: RuntimeDep
) -> Response:
    api_key = await workspace_row(session, ApiKey, user.workspace_id, api_key_id, "API key")
    if api_key.revoked_at is not None:
        return done(request, PAGE, Flash("ok", f"API key {api_key.prefix}… was already revoked."))
    await revoke_api_key(session, runtime.api_keys, api_key)
    # Revoking the key of this login ends it: the next page is the login page, which says why.
    return done(request, PAGE, Flash("ok", f"API key {api_key.prefix}… revoked: requests with it are refused."))
