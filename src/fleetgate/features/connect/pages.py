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
    build_connect_session,
    current_status,
)
from fleetgate.features.connect.views import access_items, app_name, result_view
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.models import Connection, ConnectSession
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.runtime import Runtime

router = APIRouter()

SINGLE_VALUED = ("state", "code", "error")


def page_headers(runtime: Runtime) -> dict[str, str]:
    authorize = urlsplit(runtime.endpoints.authorize_url)
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


def render(request: Request, runtime: Runtime, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = runtime.templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(page_headers(runtime))
    return response


def redirect(runtime: Runtime, location: str, status: int = 303) -> Response:
    return RedirectResponse(location, status_code=status, headers=page_headers(runtime))


def notice(
    request: Request, runtime: Runtime, status: int, *, app: str | None, title: str, message: str, hint: str
) -> Response:
    context = {"app_name": app, "title": title, "message": message, "hint": hint}
    return render(request, runtime, "connect_notice.html", context, status)


def not_found(request: Request, runtime: Runtime) -> Response:
    return notice(
        request,
        runtime,
        404,
        app=None,
        title="This link is not valid",
        message="There is no connection request at this address.",
        hint="Go back to the app you came from and start again.",
    )


def expired(request: Request, runtime: Runtime, app: str) -> Response:
    return notice(
        request,
        runtime,
        410,
        app=app,
        title="This link has expired",
        message=f"Links to connect a Tesla account to {app} work for a limited time, and this one has run out.",
        hint=f"Go back to {app} and ask for a new link to connect your Tesla account.",
    )


async def load(session: AsyncSession, session_id: str) -> ConnectSession | None:
    return await session.get(ConnectSession, session_id) if len(session_id) <= 40 else None


@router.get("/connect/callback")
async def callback(request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    """Tesla sends the user back here with `code` and `state`, or with `error` (e.g. `access_denied`)."""
    params = request.query_params
    if any(len(params.getlist(name)) > 1 for name in SINGLE_VALUED):
        params_used: dict[str, str] = {}
    else:
        params_used = dict(params.items())
    result = await handle_callback(session, runtime, params_used)
    connect_session = result.connect_session
    if result.end == "unknown_state" or connect_session is None:
        return notice(
            request,
            runtime,
            400,
            app=None,
            title="This sign-in could not be finished",
            message="The answer from Tesla does not match a connection request in progress, or it was already used.",
            hint="Go back to the app you came from and start again.",
        )
    app = await app_name(session, connect_session)
    if result.end == "expired":
        return expired(request, runtime, app)
    if connect_session.redirect_url:
        return redirect(runtime, outcome_url(connect_session), status=302)
    return redirect(runtime, f"/connect/{connect_session.id}/result")


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


@router.get("/connect/{session_id}")
async def intro(session_id: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, runtime)
    app = await app_name(session, connect_session)
    status = current_status(connect_session)
    if status == EXPIRED:
        return expired(request, runtime, app)
    if status != PENDING:
        return redirect(runtime, f"/connect/{connect_session.id}/result")
    context = {
        "app_name": app,
        "access": access_items(connect_session.requested_access),
        "require_all": connect_session.require_all,
        "reconnect": connect_session.reconnect,
        "key_step": needs_virtual_key(connect_session.requested_access),
        "returns_to_app": connect_session.redirect_url is not None,
        "start_url": f"/connect/{connect_session.id}/start",
    }
    return render(request, runtime, "connect_intro.html", context)


@router.get("/connect/{session_id}/start")
async def start(session_id: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, runtime)
    status = current_status(connect_session)
    if status == EXPIRED:
        return expired(request, runtime, await app_name(session, connect_session))
    if status != PENDING:
        return redirect(runtime, f"/connect/{connect_session.id}/result")
    return redirect(runtime, await begin_authorization(session, runtime, connect_session), status=302)


@router.get("/connect/{session_id}/result")
async def result(session_id: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, runtime)
    app = await app_name(session, connect_session)
    view = await result_view(session, runtime, connect_session)
    if view.status == EXPIRED:
        return expired(request, runtime, app)
    context = {
        "app_name": app,
        "view": view,
        "error_message": connect_session.error_message,
        "intro_url": f"/connect/{connect_session.id}",
        "reconnect_url": f"/connect/{connect_session.id}/reconnect",
    }
    return render(request, runtime, "connect_result.html", context)


@router.post("/connect/{session_id}/reconnect")
async def reconnect(session_id: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    """A new session that asks Tesla again (`prompt_missing_scopes=true`) and updates the same connection."""
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, runtime)
    connection = await session.get(Connection, connect_session.connection_id) if connect_session.connection_id else None
    if (
        current_status(connect_session) != COMPLETED
        or connection is None
        or connection.status == ConnectionStatus.REVOKED
    ):
        return redirect(runtime, f"/connect/{connect_session.id}/result")
    fresh = await build_connect_session(
        session,
        runtime,
        workspace_id=connect_session.workspace_id,
        customer_id=connect_session.customer_id,
        access=connect_session.requested_access,
        redirect_url=connect_session.redirect_url,
        require_all=connect_session.require_all,
        reconnect_connection_id=connection.id,
    )
    session.add(fresh)
    return redirect(runtime, f"/connect/{fresh.id}/start")
