"""Logging in with an API key, and out. The key is checked as the API checks it, then only its id is kept; a
login is a row on the server (`logins`), deleted at logout."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from fleetgate.features.console.auth import LOGIN_PATH, FormUserDep, api_key_for, safe_next
from fleetgate.features.console.cookies import FORM_COOKIE, forget_form_token, forget_login, set_form_token, set_login
from fleetgate.features.console.login_token import issue_login
from fleetgate.features.console.logins import end_login, start_login
from fleetgate.features.console.render import render, see_other
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.runtime import Runtime

router = APIRouter()

NOTICES = {
    "expired": "Your console login has expired. Log in again.",
    "revoked": "The API key you logged in with was revoked. Log in with another key of the workspace.",
    "logged_out": "You are logged out.",
}
BAD_KEY = "This API key is not valid (unknown or revoked). Paste a key of your workspace, starting with fg_."
STALE_FORM = "The login form had expired. Paste the key again."


def login_page(
    request: Request, runtime: Runtime, *, next_path: str | None, error: str | None = None, status: int = 200
) -> Response:
    form_token = secrets.token_urlsafe(24)
    context = {
        "title": "Log in to the console",
        "form_token": form_token,
        "next": safe_next(next_path),
        "notice": NOTICES.get(request.query_params.get("reason", "")) if error is None else None,
        "error": error,
    }
    response = render(request, "login.html", context, status=status)
    set_form_token(response, runtime, form_token)
    return response


@router.get("/console/login")
async def login_form(
    request: Request, runtime: RuntimeDep, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    return login_page(request, runtime, next_path=next_path)


@router.post("/console/login")
async def log_in(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    api_key: Annotated[str, Form()] = "",
    form_token: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not secrets.compare_digest(form_token.encode(), expected.encode()):
        return login_page(request, runtime, next_path=next_path, error=STALE_FORM, status=403)
    found = await api_key_for(session, api_key)
    if found is None:
        return login_page(request, runtime, next_path=next_path, error=BAD_KEY, status=401)
    now = utcnow()
    found.last_used_at = now
    login = await start_login(session, found.id, now)
    token = issue_login(runtime.encryptor, login.id, found.id, login.expires_at)
    response = see_other(safe_next(next_path))
    set_login(response, runtime, token)
    forget_form_token(response, runtime)
    return response


@router.post("/console/logout")
async def log_out(user: FormUserDep, session: SessionDep, runtime: RuntimeDep) -> Response:
    await end_login(session, user.login_id)
    response = see_other(f"{LOGIN_PATH}?reason=logged_out")
    forget_login(response, runtime)
    return response
