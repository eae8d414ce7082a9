"""The hosted pages the end user sees: what will be asked, the step to Tesla, Tesla's callback, the pairing step
(for an app that sends commands, while a car lacks its key) and the result.

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
from fleetgate.features.connect.brand import Brand, monogram
from fleetgate.features.connect.brand import router as brand_router
from fleetgate.features.connect.callback import handle_callback
from fleetgate.features.connect.pairing_step import asks_for_key, check_pairing
from fleetgate.features.connect.redirects import with_query
from fleetgate.features.connect.service import (
    COMPLETED,
    EXPIRED,
    FAILED,
    PENDING,
    build_connect_session,
    current_status,
)
from fleetgate.features.connect.views import (
    access_items,
    active_devices,
    brand,
    key_cars,
    lacks_key,
    pairing_items,
    result_view,
)
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.models import Connection, ConnectSession
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.runtime import Runtime

router = APIRouter()
router.include_router(brand_router)

SINGLE_VALUED = ("state", "code", "error")


def page_headers(runtime: Runtime, img_origin: str | None = None) -> dict[str, str]:
    """`img_origin`: where the workspace's logo comes from, when it is not a data: URL."""
    authorize = urlsplit(runtime.endpoints.authorize_url)
    images = f"'self' data: {img_origin}" if img_origin else "'self' data:"
    # A form's redirect chain is checked against form-action too: the reconnect button ends at Tesla.
    csp = (
        f"default-src 'none'; style-src 'self'; img-src {images}; base-uri 'none'; frame-ancestors 'none'; "
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
    """`context["brand"]`, when given, is the application the page speaks for (its `app_name` filled from it)."""
    shown: Brand | None = context.get("brand")
    if shown is not None:
        context.setdefault("app_name", shown.name)
    response = runtime.templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(page_headers(runtime, shown.logo_origin if shown is not None else None))
    return response


def redirect(runtime: Runtime, location: str, status: int = 303) -> Response:
    return RedirectResponse(location, status_code=status, headers=page_headers(runtime))


def notice(
    request: Request,
    runtime: Runtime,
    status: int,
    *,
    app: str | Brand | None,
    title: str,
    message: str,
    hint: str,
) -> Response:
    shown = Brand(app, monogram(app)) if isinstance(app, str) else app
    context = {"brand": shown, "app_name": shown.name if shown else None, "title": title, "message": message}
    context["hint"] = hint
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


def expired(request: Request, runtime: Runtime, app: Brand) -> Response:
    return notice(
        request,
        runtime,
        410,
        app=app,
        title="This link has expired",
        message=f"Links to connect a Tesla account to {app.name} work for a limited time, and this one has run out.",
        hint=f"Go back to {app.name} and ask for a new link to connect your Tesla account.",
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
    if result.end == "expired":
        return expired(request, runtime, await brand(session, connect_session))
    if await pairing_due(session, connect_session):
        return redirect(runtime, f"/connect/{connect_session.id}/pairing")
    if connect_session.redirect_url:
        return redirect(runtime, outcome_url(connect_session), status=302)
    return redirect(runtime, f"/connect/{connect_session.id}/result")


async def pairing_due(session: AsyncSession, connect_session: ConnectSession) -> bool:
    """Whether the user is shown the pairing step: the app asked to send commands and a car lacks its key."""
    if connect_session.status != COMPLETED or connect_session.connection_id is None:
        return False
    if not asks_for_key(connect_session):
        return False
    connection = await session.get(Connection, connect_session.connection_id)
    if connection is None:
        return False
    return any(lacks_key(car) for car in key_cars(await active_devices(session, connection)))


def continue_url(connect_session: ConnectSession) -> str:
    """Where the user goes after the pairing step: back to the app with the outcome, or to the result page."""
    if connect_session.redirect_url:
        return outcome_url(connect_session)
    return f"/connect/{connect_session.id}/result"


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
    shown = await brand(session, connect_session)
    status = current_status(connect_session)
    if status == EXPIRED:
        return expired(request, runtime, shown)
    if status != PENDING:
        return redirect(runtime, f"/connect/{connect_session.id}/result")
    context = {
        "brand": shown,
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
        return expired(request, runtime, await brand(session, connect_session))
    if status != PENDING:
        return redirect(runtime, f"/connect/{connect_session.id}/result")
    return redirect(runtime, await begin_authorization(session, runtime, connect_session), status=302)


@router.get("/connect/{session_id}/result")
async def result(session_id: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, runtime)
    shown = await brand(session, connect_session)
    view = await result_view(session, runtime, connect_session)
    if view.status == EXPIRED:
        return expired(request, runtime, shown)
    context = {
        "brand": shown,
        "view": view,
        "error_code": connect_session.error_code,
        "error_message": connect_session.error_message,
        "back_url": outcome_url(connect_session) if connect_session.redirect_url else None,
        "intro_url": f"/connect/{connect_session.id}",
        "reconnect_url": f"/connect/{connect_session.id}/reconnect",
        "pairing_url": f"/connect/{connect_session.id}/pairing",
    }
    return render(request, runtime, "connect_result.html", context)


@router.get("/connect/{session_id}/pairing")
async def pairing(session_id: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    """A link and a QR code for each car still without the app's key; "checked" says what the last check found."""
    found = await pairing_step(session_id, request, session, runtime)
    if isinstance(found, Response):
        return found
    connect_session, connection = found
    cars = pairing_items(runtime, key_cars(await active_devices(session, connection)))
    if not cars:
        return redirect(runtime, continue_url(connect_session))
    checked = request.query_params.get("checked")
    context = {
        "brand": await brand(session, connect_session),
        "cars": cars,
        "waiting": [car for car in cars if not car.has_key],
        "checked": checked if checked in ("done", "failed") else None,
        "check_url": f"/connect/{connect_session.id}/pairing",
        "continue_url": continue_url(connect_session),
        "returns_to_app": connect_session.redirect_url is not None,
    }
    return render(request, runtime, "connect_pairing.html", context)


@router.post("/connect/{session_id}/pairing")
async def check_keys(session_id: str, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    """The user says they added the key: Tesla is asked again about the cars still without it."""
    found = await pairing_step(session_id, request, session, runtime)
    if isinstance(found, Response):
        return found
    connect_session, connection = found
    waiting = [car for car in key_cars(await active_devices(session, connection)) if lacks_key(car)]
    checked = await check_pairing(session, runtime, connection, waiting)
    return redirect(runtime, f"/connect/{connect_session.id}/pairing?checked={'done' if checked else 'failed'}")


async def pairing_step(
    session_id: str, request: Request, session: AsyncSession, runtime: Runtime
) -> tuple[ConnectSession, Connection] | Response:
    """The session and its connection when the session has a pairing step (completed, and the app asked to send
    commands); otherwise the page to answer instead."""
    connect_session = await load(session, session_id)
    if connect_session is None:
        return not_found(request, runtime)
    connection = await completed_connection(session, connect_session)
    if connection is None or not asks_for_key(connect_session):
        return redirect(runtime, f"/connect/{connect_session.id}/result")
    return connect_session, connection


async def completed_connection(session: AsyncSession, connect_session: ConnectSession) -> Connection | None:
    if current_status(connect_session) != COMPLETED or connect_session.connection_id is None:
        return None
    connection = await session.get(Connection, connect_session.connection_id)
    if connection is None or connection.workspace_id != connect_session.workspace_id:
        return None
    return connection


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
