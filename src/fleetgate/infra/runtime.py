"""The infrastructure a fleetgate process runs on (databases, the Tesla and webhook clients, keys), built when the
process starts and closed when it stops: the API's lifespan and each `fleetgate worker` use the same."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi.templating import Jinja2Templates

from fleetgate.config import Settings, SettingsError, decode_key
from fleetgate.features.webhooks.delivery import webhook_client
from fleetgate.infra.db.engine import create_engine, create_sessionmaker, create_side_engine, is_sqlite
from fleetgate.infra.db.migrate import upgrade
from fleetgate.infra.security.encryption import Encryptor
from fleetgate.infra.state import AppState
from fleetgate.tesla.keys import KeyUnavailable, load_app_key
from fleetgate.tesla.signing.commander import SignedCommander
from fleetgate.tesla.token_cache import TokenCache

log = logging.getLogger("fleetgate")
WEB = Path(__file__).parents[1] / "web"
# Dev mode only: a fixed key so a dev database stays readable across restarts. Never used outside `dev`.
DEV_ENCRYPTION_KEY = base64.b64encode(hashlib.sha256(b"fleetgate dev mode, not a secret").digest()).decode()


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
async def running_state(
    settings: Settings, *, tesla_transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[AppState]:
    """`tesla_transport` carries every call to Tesla; tests pass the simulator's ASGI transport."""
    key = encryption_key(settings)
    engine = create_engine(settings.database_url)
    side_engine = create_side_engine(settings.database_url)
    try:
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
        async with (
            httpx.AsyncClient(transport=tesla_transport, timeout=30.0) as tesla_http,
            webhook_client(settings) as webhook_http,
        ):
            yield AppState(
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
                webhook_http=webhook_http,
            )
    finally:
        await side_engine.dispose()
        await engine.dispose()
