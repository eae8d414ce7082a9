"""Every console page under /console, left out of the OpenAPI schema (it is not part of the API)."""

from __future__ import annotations

from fastapi import APIRouter

from fleetgate.features.console import commands, connections, devices, login, overview, usage, webhooks

router = APIRouter()
for section in (login, overview, connections, devices, commands, webhooks, usage):
    router.include_router(section.router)
