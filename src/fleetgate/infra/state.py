"""What the app builds once at start-up and every request shares (built in the lifespan, never at import)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Protocol

import httpx
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fleetgate.config import Settings
from fleetgate.infra.metrics import Metrics
from fleetgate.infra.security.encryption import Encryptor
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.signing.commander import SignedCommander
from fleetgate.tesla.token_cache import TokenCache


class CommandQueue(Protocol):
    """Where a committed command is announced: the in-process executor, or the job queue of the workers."""

    async def queued(self, command_id: str, device_id: str) -> None: ...


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    tesla_http: httpx.AsyncClient
    endpoints: TeslaEndpoints
    encryptor: Encryptor
    app_key: ec.EllipticCurvePrivateKey | None
    commander: SignedCommander | None
    templates: Jinja2Templates
    # Short transactions outside the request's (token refreshes, connection status), on a pool of their own.
    side_sessionmaker: async_sessionmaker[AsyncSession]
    token_cache: TokenCache
    command_queue: CommandQueue | None = None
    # Webhook deliveries' own client (never the Tesla one), and what wakes this process's dispatcher.
    webhook_http: httpx.AsyncClient = field(kw_only=True)
    webhook_wakeup: asyncio.Event = field(default_factory=asyncio.Event, kw_only=True)
    metrics: Metrics = field(default_factory=Metrics, kw_only=True)


async def app_state(request: Request) -> AppState:
    # async so FastAPI calls it on the event loop rather than in its thread pool, on every request.
    state: AppState = request.app.state.fleetgate
    return state
