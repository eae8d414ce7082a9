"""Fleet Telemetry's config endpoints: their answers read into typed shapes, with Tesla's omissions filled in.

Tesla leaves out what is empty or unknown (a skip reason with no VIN, `limit_reached` and `key_paired` on older
answers), so each answer is completed here: a caller reads every key without guessing. A config Tesla refuses
(400, "Refer to …/fleet-telemetry for instructions …") is `TelemetryConfigRefused`, Tesla's description (what
was wrong) as its reason.
"""

from __future__ import annotations

from typing import Any, TypedDict

from fleetgate.tesla.errors import TelemetryConfigRefused, UpstreamError

CONFIGURE_PATH = "/api/1/vehicles/fleet_telemetry_config_jws"
SKIP_REASONS = ("missing_key", "unsupported_hardware", "unsupported_firmware", "max_configs")
_SETUP_DOCS_MARK = "fleet-telemetry"


class TelemetryConfigured(TypedDict):
    updated_vehicles: int
    # Each of SKIP_REASONS, with the VINs Tesla skipped for it (possibly none); reasons Tesla adds later kept.
    skipped_vehicles: dict[str, list[str]]


class TelemetryConfigState(TypedDict):
    synced: bool
    config: dict[str, Any] | None  # None: the car holds no config of this app
    limit_reached: bool
    key_paired: bool


class TelemetryErrorItem(TypedDict):
    created_at: str
    error: str
    error_name: str
    name: str
    txID: str
    vin: str


def config_path(vin: str) -> str:
    return f"/api/1/vehicles/{vin}/fleet_telemetry_config"


def errors_path(vin: str) -> str:
    return f"/api/1/vehicles/{vin}/fleet_telemetry_errors"


def _object(answer: Any, what: str) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise UpstreamError.answer_lost(f"Tesla's {what} answer is not an object", body=answer)
    return answer


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def configured(answer: Any) -> TelemetryConfigured:
    body = _object(answer, "fleet_telemetry_config")
    raw = body.get("skipped_vehicles")
    skipped: dict[str, list[str]] = {reason: [] for reason in SKIP_REASONS}
    for reason, vins in (raw if isinstance(raw, dict) else {}).items():
        skipped[str(reason)] = [vin for vin in vins if isinstance(vin, str)] if isinstance(vins, list) else []
    return {"updated_vehicles": _count(body.get("updated_vehicles")), "skipped_vehicles": skipped}


def updated(answer: Any) -> int:
    return _count(_object(answer, "fleet_telemetry_config delete").get("updated_vehicles"))


def config_state(answer: Any) -> TelemetryConfigState:
    body = _object(answer, "fleet_telemetry_config")
    config = body.get("config")
    return {
        "synced": body.get("synced") is True,
        "config": config if isinstance(config, dict) else None,
        "limit_reached": body.get("limit_reached") is True,
        "key_paired": body.get("key_paired") is True,
    }


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    return value if isinstance(value, str) else ""


def error_items(answer: Any) -> list[TelemetryErrorItem]:
    items = _object(answer, "fleet_telemetry_errors").get("fleet_telemetry_errors")
    return [
        {
            "created_at": _text(item, "created_at"),
            "error": _text(item, "error"),
            "error_name": _text(item, "error_name"),
            "name": _text(item, "name"),
            "txID": _text(item, "txID"),
            "vin": _text(item, "vin"),
        }
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]


def error_vins(answer: Any) -> list[str]:
    if not isinstance(answer, list):
        raise UpstreamError.answer_lost("Tesla's fleet_telemetry_error_vins answer is not a list", body=answer)
    return [vin for vin in answer if isinstance(vin, str)]


def refused_config(exc: UpstreamError) -> UpstreamError:
    """Tesla's refusal of a config as its own error; any other failure as it was."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = str(body.get("error") or "")
    if exc.status != 400 or _SETUP_DOCS_MARK not in error:
        return exc
    description = str(body.get("error_description") or "")
    return TelemetryConfigRefused(description or error, status=400, body=exc.body)
