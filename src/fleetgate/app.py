"""The gateway's app factory: settings in, a FastAPI app out, infrastructure built in the lifespan."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fleetgate.commands.routes import router as commands_router
from fleetgate.config import Settings, SettingsError, decode_key
from fleetgate.connect.pages import router as connect_pages_router
from fleetgate.connect.routes import router as connect_router
from fleetgate.connections.routes import router as connections_router
from fleetgate.connections.token_cache import TokenCache
from fleetgate.customers.routes import router as customers_router
from fleetgate.db.engine import create_engine, create_sessionmaker, create_side_engine, is_sqlite
from fleetgate.db.migrate import upgrade
from fleetgate.devices.routes import router as devices_router
from fleetgate.errors import APIError
from fleetgate.jobs.executor import command_executor
from fleetgate.security.encryption import Encryptor
from fleetgate.state import AppState
from fleetgate.sync.scheduler import periodic_sync
from fleetgate.system.routes import router as system_router
from fleetgate.tesla.keys import KeyUnavailable, load_app_key
from fleetgate.tesla.signing.commander import SignedCommander
from fleetgate.usage.routes import router as usage_router

log = logging.getLogger("fleetgate")
WEB = Path(__file__).with_name("web")
# Dev mode only: a fixed key so a dev database stays readable across restarts. Never used outside `dev`.
DEV_ENCRYPTION_KEY = base64.b64encode(hashlib.sha256(b"fleetgate dev mode, not a secret").digest()).decode()
HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


def encryption_key(settings: Settings) -> bytes:
    if settings.encryption_key is not None:
        return decode_key(settings.encryption_key.get_secret_value())
    if settings.mode == "dev":
        return decode_key(DEV_ENCRYPTION_KEY)
    raise SettingsError(
        "FLEETGATE_ENCRYPTION_KEY is required outside dev mode: tokens are encrypted at rest with it. "
        "Create one with `fleetgate keys encryption-key`."
    )


class RequestIdMiddleware:
    """Names each request (`X-Request-ID`, kept from the client when sane); plain ASGI, as it runs on every call."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if 0 < len(incoming) <= 100 else f"req_{secrets.token_hex(8)}"
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "")) or f"req_{secrets.token_hex(8)}"


def create_app(settings: Settings | None = None, *, tesla_transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """`tesla_transport` carries every call to Tesla; tests pass the simulator's ASGI transport."""
    settings = settings or Settings()
    key = encryption_key(settings)  # fail at construction, before anything listens

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        side_engine = create_side_engine(settings.database_url)
        if is_sqlite(settings.database_url) or settings.mode == "dev":
            await upgrade(engine)
        try:
            app_key = load_app_key(
                pem=settings.private_key_pem.get_secret_value() if settings.private_key_pem else None,
                path=settings.private_key_path,
            )
        except KeyUnavailable as exc:
            log.warning("signed commands are disabled: %s", exc)
            app_key = None
        async with httpx.AsyncClient(transport=tesla_transport, timeout=30.0) as tesla_http:
            app.state.fleetgate = AppState(
                settings=settings,
                engine=engine,
                sessionmaker=create_sessionmaker(engine),
                tesla_http=tesla_http,
                endpoints=settings.tesla_endpoints(),
                encryptor=Encryptor(key),
                app_key=app_key,
                commander=SignedCommander(app_key) if app_key is not None else None,
                templates=Jinja2Templates(directory=WEB / "templates"),
                side_sessionmaker=create_sessionmaker(side_engine),
                token_cache=TokenCache(),
            )
            try:
                async with (
                    periodic_sync(app.state.fleetgate, settings.device_sync_interval_seconds),
                    command_executor(app.state.fleetgate) as executor,
                ):
                    app.state.fleetgate.command_queue = executor
                    yield
            finally:
                await side_engine.dispose()
                await engine.dispose()

    app = FastAPI(
        title="fleetgate",
        summary="Connect your users' Tesla vehicles and energy sites through Tesla's Fleet API.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_middleware(RequestIdMiddleware)

    @app.exception_handler(APIError)
    async def render_api_error(request: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(exc.body(request_id(request)), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def render_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(part) for part in error["loc"] if part != "body"), "problem": error["msg"]}
            for error in exc.errors()
        ]
        body = {
            "error": {
                "code": "validation_error",
                "message": "The request is not valid.",
                "details": problems,
                "request_id": request_id(request),
            }
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def render_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        body = {"error": {"code": code, "message": str(exc.detail), "request_id": request_id(request)}}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    for router in (
        system_router,
        customers_router,
        connect_router,
        connections_router,
        devices_router,
        commands_router,
        usage_router,
    ):
        app.include_router(router)
    app.include_router(connect_pages_router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=WEB / "static", check_dir=False), name="static")
    return app
