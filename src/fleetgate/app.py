"""The gateway's app factory: settings in, a FastAPI app out, infrastructure built in the lifespan."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fleetgate.config import Settings
from fleetgate.features.commands.routes import router as commands_router
from fleetgate.features.connect.pages import router as connect_pages_router
from fleetgate.features.connect.reconnect_link import router as reconnect_link_router
from fleetgate.features.connect.routes import router as connect_router
from fleetgate.features.connections.routes import router as connections_router
from fleetgate.features.console.errors import install_console_errors
from fleetgate.features.console.routes import router as console_router
from fleetgate.features.customers.routes import router as customers_router
from fleetgate.features.devices.routes import router as devices_router
from fleetgate.features.events.routes import router as events_router
from fleetgate.features.history.routes import router as history_router
from fleetgate.features.system.routes import router as system_router
from fleetgate.features.telemetry.routes import router as telemetry_router
from fleetgate.features.usage.routes import router as usage_router
from fleetgate.features.webhooks.routes import router as webhooks_router
from fleetgate.features.workspaces.routes import router as workspace_router
from fleetgate.infra.body_limit import BodyLimitMiddleware
from fleetgate.infra.errors import APIError, DatabaseUnavailable, unexpected_error
from fleetgate.infra.http_metrics import HttpMetricsMiddleware
from fleetgate.infra.logs import REQUEST_ID
from fleetgate.infra.openapi import install as install_openapi
from fleetgate.infra.request_errors import method_not_allowed, request_error
from fleetgate.infra.request_log import RequestLogMiddleware
from fleetgate.infra.runtime import WEB, encryption_key, open_runtime
from fleetgate.jobs.background import api_tasks

HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}

DOCS_ASSETS = "/docs/assets"
# A client's request id is kept only if it cannot forge a log line or a header: letters, digits and a few separators.
CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,100}")


class RequestIdMiddleware:
    """Names each request (`X-Request-ID`, kept from the client when it is a plain token), in the answer and in every
    log record written meanwhile (`logs.REQUEST_ID`); plain ASGI, as it runs on every call."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if CLIENT_REQUEST_ID.fullmatch(incoming) else f"req_{secrets.token_hex(8)}"
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        bound = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(bound)


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "")) or f"req_{secrets.token_hex(8)}"


def create_app(settings: Settings | None = None, *, tesla_transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """`tesla_transport` carries every call to Tesla; tests pass the simulator's ASGI transport."""
    settings = settings or Settings()
    encryption_key(settings)  # fail at construction, before anything listens

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_runtime(settings, tesla_transport=tesla_transport) as runtime, api_tasks(runtime):
            app.state.runtime = runtime
            yield

    # /docs and /redoc with their scripts served by the gateway itself (under /docs/assets), not from a CDN.
    app = FastAPIOffline(
        title="fleetgate",
        summary="Connect your users' Tesla vehicles and energy sites through Tesla's Fleet API.",
        version="0.1.0",
        lifespan=lifespan,
        static_url=DOCS_ASSETS,
    )
    install_openapi(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(HttpMetricsMiddleware)
    if settings.request_log:
        app.add_middleware(RequestLogMiddleware)
    app.add_middleware(RequestIdMiddleware)

    @app.exception_handler(APIError)
    async def render_api_error(request: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(exc.body(request_id(request)), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def render_database_failure(request: Request, exc: Exception) -> JSONResponse:
        return await render_api_error(request, DatabaseUnavailable())

    @app.exception_handler(Exception)
    async def render_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette still logs the exception with its traceback; the client gets the API's error shape.
        return await render_api_error(request, unexpected_error())

    @app.exception_handler(RequestValidationError)
    async def render_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return await render_api_error(request, request_error(request, exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def render_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 405 and (not_allowed := method_not_allowed(request)) is not None:
            return await render_api_error(request, not_allowed)
        code = HTTP_CODES.get(exc.status_code, "error")
        body = {"error": {"code": code, "message": str(exc.detail), "request_id": request_id(request)}}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    for router in (
        system_router,
        customers_router,
        connect_router,
        connections_router,
        devices_router,
        history_router,
        commands_router,
        telemetry_router,
        usage_router,
        webhooks_router,
        events_router,
        workspace_router,
    ):
        app.include_router(router)
    app.include_router(connect_pages_router, include_in_schema=False)
    app.include_router(reconnect_link_router, include_in_schema=False)
    app.include_router(console_router, include_in_schema=False)
    install_console_errors(app)
    app.mount("/static", StaticFiles(directory=WEB / "static", check_dir=False), name="static")
    return app
