"""What a fleetgate process runs on (databases, the Tesla and webhook clients, keys, what it remembers between
requests): `Runtime`, built by `open_runtime` when the process starts (the API's lifespan, each `fleetgate worker`),
never at import, and closed when it stops. Every request reaches it through `RuntimeDep`."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fleetgate.config import Settings, SettingsError, decode_key
from fleetgate.infra.app_key import configured_app_key
from fleetgate.infra.db.engine import create_sessionmaker, create_side_engine, open_reader, writer_for
from fleetgate.infra.db.first_use import migrate_on_first_use, open_engine
from fleetgate.infra.db.reads import Reader
from fleetgate.infra.db.writes import Writer
from fleetgate.infra.metrics import Metrics
from fleetgate.infra.models.device_state import Reading
from fleetgate.infra.security.encryption import Encryptor
from fleetgate.infra.security.key_cache import ApiKeyCache
from fleetgate.infra.security.signed_links import LinkSigner
from fleetgate.infra.single_flight import SingleFlight
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.keys import KeyUnavailable
from fleetgate.tesla.signing.commander import SignedCommander
from fleetgate.tesla.token_cache import TokenCache
from fleetgate.tesla.transport import tesla_client
from fleetgate.tesla.wake import WakePolicy

log = logging.getLogger("fleetgate")
WEB = Path(__file__).parents[1] / "web"
# Dev mode only: a fixed key so a dev database stays readable across restarts. Never used outside `dev`.
DEV_ENCRYPTION_KEY = base64.b64encode(hashlib.sha256(b"fleetgate dev mode, not a secret").digest()).decode()


class CommandQueue(Protocol):
    """Where a committed command is announced: the in-process executor and the other processes' executors. Called
    inside the commit (see `db.after_commit`): it must not block."""

    def queued(self, command_id: str, device_id: str) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    tesla_http: httpx.AsyncClient
    endpoints: TeslaEndpoints
    encryptor: Encryptor
    # Links for end users that carry their own authority (a reconnect link), keyed from the encryption key.
    links: LinkSigner
    app_key: ec.EllipticCurvePrivateKey | None
    commander: SignedCommander | None
    templates: Jinja2Templates
    # Short transactions outside the request's (token refreshes, connection status), on a pool of their own.
    side_sessionmaker: async_sessionmaker[AsyncSession]
    token_cache: TokenCache
    command_queue: CommandQueue | None = None
    # Webhook deliveries' own client (never the Tesla one).
    webhook_http: httpx.AsyncClient = field(kw_only=True)
    metrics: Metrics = field(default_factory=Metrics, kw_only=True)
    # How long state reads with `wake=true` and commands to a sleeping car wait for it (see `tesla.wake`).
    wake: WakePolicy = field(default_factory=WakePolicy, kw_only=True)
    # This process's reads of device state: in flight (device id, wake, location → one shared read) and the newest
    # per device id. See `features.devices.state_service`.
    state_reads: SingleFlight[tuple[str, bool, bool], Reading] = field(default_factory=SingleFlight, kw_only=True)
    latest_readings: dict[str, Reading] = field(default_factory=dict, kw_only=True)
    # This process's history reads from Tesla in flight: one per device, kind, period and range asked for (see
    # `features.history.service`).
    history_reads: SingleFlight[tuple[str, ...], Any] = field(default_factory=SingleFlight, kw_only=True)
    # Single-statement reads outside the request's transaction (`db.reads`).
    reader: Reader = field(kw_only=True)
    # The short transactions around each call to Tesla (`db.writes`): the usage ledger's, a command's send mark.
    writer: Writer = field(kw_only=True)
    # API keys checked lately, so that a request need not look its key up (`infra.security.key_cache`).
    api_keys: ApiKeyCache = field(default_factory=lambda: ApiKeyCache(0.0), kw_only=True)


async def runtime_of(request: Request) -> Runtime:
    # async so FastAPI calls it on the event loop rather than in its thread pool, on every request.
    runtime: Runtime = request.app.state.runtime
    return runtime


def encryption_key(settings: Settings) -> bytes:
    if settings.encryption_key is not None:
        return decode_key(settings.encryption_key.get_secret_value())
    if settings.mode == "dev":
        return decode_key(DEV_ENCRYPTION_KEY)
    raise SettingsError(
        "FLEETGATE_ENCRYPTION_KEY is required outside dev mode: tokens are encrypted at rest with it. "
        "Create one with `fleetgate keys encryption-key`."
    )


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, tesla_transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[Runtime]:
    """`tesla_transport` carries every call to Tesla; tests pass the simulator's ASGI transport."""
    key = encryption_key(settings)
    engine = open_engine(
        settings.database_url, pool_size=settings.database_pool_size, max_overflow=settings.database_max_overflow
    )
    side_engine = create_side_engine(settings.database_url, keep=settings.database_pool_size)
    reader: Reader | None = None
    try:
        reader = await open_reader(settings.database_url, engine, pool_size=settings.database_pool_size)
        await migrate_on_first_use(engine, settings)
        try:
            app_key = configured_app_key(settings)
        except KeyUnavailable as exc:
            log.warning("signed commands are disabled: %s", exc)
            app_key = None
        sessionmaker = create_sessionmaker(engine)
        side_sessionmaker = create_sessionmaker(side_engine)
        async with (
            tesla_client(tesla_transport) as tesla_http,
            webhook_client(settings) as webhook_http,
        ):
            yield Runtime(
                settings=settings,
                engine=engine,
                sessionmaker=sessionmaker,
                reader=reader,
                writer=writer_for(reader, sessionmaker, side_sessionmaker),
                tesla_http=tesla_http,
                endpoints=settings.tesla_endpoints(),
                encryptor=Encryptor(key),
                links=LinkSigner(key),
                app_key=app_key,
                commander=SignedCommander(app_key) if app_key is not None else None,
                templates=Jinja2Templates(directory=WEB / "templates"),
                side_sessionmaker=side_sessionmaker,
                token_cache=TokenCache(),
                webhook_http=webhook_http,
                api_keys=ApiKeyCache(settings.api_key_cache_seconds),
            )
    finally:
        if reader is not None:
            await reader.close()
        await side_engine.dispose()
        await engine.dispose()


def webhook_client(settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The deliveries' own client (never the Tesla one): fixed timeout, no redirects, no cookies kept between
    receivers."""
    return httpx.AsyncClient(
        transport=transport,
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        headers={"User-Agent": "fleetgate-webhooks/1"},
    )
