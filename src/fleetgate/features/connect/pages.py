"""The hosted pages the end user sees: what will be asked, the step to Tesla, Tesla's callback, and the result.

Server-rendered, no JavaScript. Every response carries `no-store` (they show one person's state) and
`Referrer-Policy: no-referrer` (the session id in the URL must not travel to Tesla or to the app).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connect.authorize import begin_authorization, needs_virtual_key
from fleetgate.features.connect.callback import handle_callback
from fleetgate.features.connect.redirects import with_query
from fleetgate.features.connect.service import (
    COMPLETED,
    EXPIRED,
    FAILED,
    PENDING,
    create_connect_session,
    current_status,
)
from fleetgate.features.connect.views import access_items, app_name, result_view
from fleetgate.infra.dependencies import SessionDep, StateDep
from fleetgate.infra.models import Connection, ConnectSession
from fleetgate.infra.state import AppState

router = APIRouter(prefix="/connect")

SINGLE_VALUED = ("state", "code", "error")


def page_headers(state: AppState) -> dict[str, str]:
    authorize = urlsplit(state.endpoints.authorize_url)
    # A form's redirect chain is checked against form-action too: the reconnect button ends at Tesla.
    csp = (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; "
        f"form-action 'self' {authorize.scheme}://{authorize.netloc}"
    )
    return {
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": csp,
    }


def render(request: Request, state: AppState, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = state.templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(page_headers(state))
    return response


def redirect(state: AppState, location: str, status: int = 303) -> Response:
    return RedirectResponse(location, status_code=status, headers=page_headers(state))


def notice(
    request: Request, state: AppState, status: int, *, app: str | None, title: str, message: str, hint: str
) -> Response:
    context = {"app_name": app, "title": title, "message": message, "hint": hint}
    return render(request, state, "connect_notice.html", context, status)


def not_found(request: Request, state: AppState) -> Response:
    return notice(
        request,
        state,
        404,
        app=None,
        title="This link is not valid",
        message="There is no connection request at this address.",
        hint="Go back to the app you came from and start again.",
    )


def expired(request: Request, state: AppState, app: str) -> Response:
    return notice(
        request,
        state,
        410,
        app=app,
        title="This link has expired",
        message=f"Links to connect a Tesla account to {app} work for a limited time, and this one has run out.",
        hint=f"Go back to {app} and ask for a new link to connect your Tesla account.",
    )


async def load(session: AsyncSession, session_id: str) -> ConnectSession | None:
    return await session.get(ConnectSession, session_id) if len(session_id) <= 40 else None


@router.get("/callback")
async def callback(request: Request, session: SessionDep, state: StateDep) -> Response:
    """Tesla sends the user back here with `code` and `state`, or with `error` (e.g. `access_denied`)."""
    params = request.query_params
    if any(len(params.getlist(name)) > 1 for name in SINGLE_VALUED):
        params_used: dict[str, str] = {}
    else:
        params_used = dict(params.items())
    result = await handle_callback(session, state, params_used)
    connect_session = result.connect_session
    if result.outcome == "unknown_state" or connect_session is None:
        return notice(
            request,
            state,
            400,
            app=None,
            title="This sign-in could not be finished",
            message="The answer from Tesla does not match a connection request in progress, or it was already used.",
            hint="Go back to the app you came from and start again.",
        )
    app = await app_name(session, connect_session)
    if result.outcome == "expired":
        return expired(request, state, app)
    if connect_session.redirect_url:
        return redirect(state, outcome_url(connect_session), status=302)
    return redirect(state, f"/connect/{connect_session.id}/result")


def outcome_url(connect_session: ConnectSession) -> str:
    assert connect_session.redirect_url is not None
    missing = (connect_session.result or {}).get("missing_access") or []
    return with_query(
        connect_session.redirect_url,
        {
            "connect_session_id": connect_session.id,
            "connection_id": connect_session.connection_id,
            "status": connect_session.status,
            "error": connect_session.error_code if connect_session.status == FAILED else None,
            "missing_access": ",".join(missing) if missing else None,
        },
    )


@router.get("/{session_id}")
async def intro(session_id: str, request: Request, session: SessionDep, state: StateDep) -> Response:
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, state)
    app = await app_name(session, connect_session)
    status = current_status(connect_session)
    if status == EXPIRED:
        return expired(request, state, app)
    if status != PENDING:
        return redirect(state, f"/connect/{connect_session.id}/result")
    context = {
        "app_name": app,
        "access": access_items(connect_session.requested_access),
        "require_all": connect_session.require_all,
        "reconnect": connect_session.reconnect,
        "key_step": needs_virtual_key(connect_session.requested_access),
        "returns_to_app": connect_session.redirect_url is not None,
        "start_url": f"/connect/{connect_session.id}/start",
    }
    return render(request, state, "connect_intro.html", context)


@router.get("/{session_id}/start")
async def start(session_id: str, request: Request, session: SessionDep, state: StateDep) -> Response:
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, state)
    status = current_status(connect_session)
    if status == EXPIRED:
        return expired(request, state, await app_name(session, connect_session))
    if status != PENDING:
        return redirect(state, f"/connect/{connect_session.id}/result")
    return redirect(state, await begin_authorization(session, state, connect_session), status=302)


@router.get("/{session_id}/result")
async def result(session_id: str, request: Request, session: SessionDep, state: StateDep) -> Response:
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, state)
    app = await app_name(session, connect_session)
    view = await result_view(session, state, connect_session)
    if view.status == EXPIRED:
        return expired(request, state, app)
    context = {
        "app_name": app,
        "view": view,
        "error_message": connect_session.error_message,
        "intro_url": f"/connect/{connect_session.id}",
        "reconnect_url": f"/connect/{connect_session.id}/reconnect",
    }
    return render(request, state, "connect_result.html", context)


@router.post("/{session_id}/reconnect")
async def reconnect(session_id: str, request: Request, session: SessionDep, state: StateDep) -> Response:
    """A new session that asks Tesla again (`prompt_missing_scopes=true`) and updates the same connection."""
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, state)
    connection = await session.get(Connection, connect_session.connection_id) if connect_session.connection_id else None
    if current_status(connect_session) != COMPLETED or connection is None or connection.status == "revoked":
        return redirect(state, f"/connect/{connect_session.id}/result")
    fresh = await create_connect_session(
        session,
        state,
        workspace_id=connect_session.workspace_id,
        customer_id=connect_session.customer_id,
        access=connect_session.requested_access,
        redirect_url=connect_session.redirect_url,
        require_all=connect_session.require_all,
        reconnect_connection_id=connection.id,
    )
    return redirect(state, f"/connect/{fresh.id}/start")
