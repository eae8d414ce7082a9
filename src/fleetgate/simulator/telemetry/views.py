"""Tesla's shapes of the telemetry config and error answers."""

from __future__ import annotations

from typing import Any

from fleetgate.simulator.telemetry.configs import MAX_APPS_PER_CAR, StoredConfig, TelemetryError


def config_view(config: StoredConfig | None, *, other_apps: int, key_paired: bool) -> dict[str, Any]:
    """With no config for this app, Tesla answers `synced: true` and `config: null`."""
    return {
        "synced": config.synced if config is not None else True,
        "config": config.view() if config is not None else None,
        "limit_reached": other_apps >= MAX_APPS_PER_CAR,
        "key_paired": key_paired,
    }


def errors_view(errors: list[TelemetryError]) -> dict[str, Any]:
    return {"fleet_telemetry_errors": [error.view() for error in errors]}


def error_vins_view(errors: list[TelemetryError]) -> list[str]:
    return list(dict.fromkeys(error.vin for error in errors))


def control_view(config: StoredConfig, now: float) -> dict[str, Any]:
    return {
        "client_id": config.client_id,
        "vin": config.vin,
        **config.view(),
        "synced": config.synced,
        "synced_at": config.synced_at,
        "error": config.error,
        "expired": config.expired(now),
        "created_at": config.created_at,
    }
