"""Every console page under /console, left out of the OpenAPI schema (it is not part of the API)."""

from __future__ import annotations

from fastapi import APIRouter

from fleetgate.features.console import (
    api_keys,
    commands,
    connections,
    device_actions,
    devices,
    history_actions,
    login,
    overview,
    telemetry,
    usage,
    webhook_actions,
    webhooks,
)

router = APIRouter()
for section in (
    login,
    overview,
    connections,
    devices,
    device_actions,
    history_actions,
    telemetry,
    commands,
    webhooks,
    webhook_actions,
    usage,
    api_keys,
):
    router.include_router(section.router)
