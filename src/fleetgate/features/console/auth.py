"""Who is logged in to the console: checked on every page, so a revoked API key or a logout ends a login at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Form, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.console.cookies import LOGIN_COOKIE
from fleetgate.features.console.errors import ConsolePageError, ConsoleRedirect
from fleetgate.features.console.login_token import read_login
from fleetgate.features.console.logins import login_is_live
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.models import ApiKey, Workspace
from fleetgate.infra.security.api_keys import hash_api_key, looks_like_api_key

LOGIN_PATH = "/console/login"
HOME = "/console"


@dataclass(frozen=True, slots=True)
class ConsoleUser:
    """Plain values, not rows: an error page shows them after the request's transaction has rolled back."""

    workspace_id: str
    workspace_name: str
    api_key_id: str
    key_prefix: str
    login_id: str
    csrf_token: str  # every POST form of the console carries it


async def api_key_for(session: AsyncSession, key: str) -> ApiKey | None:
    """The key as the API accepts it (see `dependencies.current_workspace`): known by its hash, and not revoked."""
    key = key.strip()
    if not looks_like_api_key(key):
        return None
    api_key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_api_key(key)))
    if api_key is None or api_key.revoked_at is not None:
        return None
    return api_key


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a console path of this server, never another site."""
    if not target or len(target) > 2000:
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not (parts.path == HOME or parts.path.startswith(HOME + "/")):
        return HOME
    return target


def login_url(next_path: str | None = None, reason: str | None = None) -> str:
    query = {name: text for name, text in (("next", next_path), ("reason", reason)) if text}
    return f"{LOGIN_PATH}?{urlencode(query)}" if query else LOGIN_PATH


async def console_user(request: Request, session: SessionDep, runtime: RuntimeDep) -> ConsoleUser:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    token = request.cookies.get(LOGIN_COOKIE)
    if not token:
        raise ConsoleRedirect(login_url(here if request.method == "GET" else None))
    now = utcnow()
    login = read_login(runtime.encryptor, token, now)
    if login is None or not await login_is_live(session, login.login_id, login.api_key_id, now):
        raise ConsoleRedirect(login_url(here if request.method == "GET" else None, "expired"), logout=True)
    api_key = await session.get(ApiKey, login.api_key_id)
    workspace = await session.get(Workspace, api_key.workspace_id) if api_key is not None else None
    if api_key is None or api_key.revoked_at is not None or workspace is None:
        raise ConsoleRedirect(login_url(reason="revoked"), logout=True)
    user = ConsoleUser(workspace.id, workspace.name, api_key.id, api_key.prefix, login.login_id, login.csrf_token)
    request.state.workspace_id = workspace.id
    request.state.console_user = user
    return user


ConsoleUserDep = Annotated[ConsoleUser, Depends(console_user)]


async def form_user(user: ConsoleUserDep, csrf_token: Annotated[str, Form()] = "") -> ConsoleUser:
    """The user of a POST form, which must carry the CSRF token of the login it was shown to."""
    if not secrets.compare_digest(csrf_token.encode(), user.csrf_token.encode()):
        raise ConsolePageError(
            403,
            "This form has expired",
            "The form was not sent from a console page of your current login. Go back, reload the page and try again.",
        )
    return user


FormUserDep = Annotated[ConsoleUser, Depends(form_user)]
