"""The API's errors about telemetry configs: a request fleetgate cannot turn into a config, and the cars Tesla
skipped (`skipped_vehicles` of its answer), each with what fixes it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fleetgate.features.access.capabilities import VirtualKeyFacts, key_remedy
from fleetgate.features.connections.tesla_errors import VirtualKeyNotPaired
from fleetgate.infra.errors import APIError, NotFound, ValidationFailed

MANAGE_ACCESS_NOTE = (
    "A car streams to a limited number of applications (five). The owner removes another application's access "
    "(Tesla app: Security & Privacy > Third-Party Apps, or Tesla's manage-access page), then the config can be set."
)
FIRMWARE_NOTE = (
    "The car's software is too old for this config: Fleet Telemetry needs 2024.26, and minimum_delta (which numeric "
    "fields get by default) 2024.44.32. The owner installs the update (Tesla app: Software; the car updates over "
    "Wi-Fi), then the config can be set again; meanwhile fields without a delta (locked, charging_state) may work."
)


class TelemetryNotConfigured(NotFound):
    code = "telemetry_not_configured"


class TelemetryReceiverMissing(APIError):
    status = 409
    code = "telemetry_receiver_not_configured"


class AppKeyMissing(APIError):
    status = 409
    code = "app_key_missing"


class UnsupportedFirmware(APIError):
    status = 409
    code = "telemetry_unsupported_firmware"


class UnsupportedHardware(APIError):
    status = 409
    code = "telemetry_unsupported_hardware"


class ConfigLimitReached(APIError):
    status = 409
    code = "telemetry_config_limit"


# What `skipped_error` raises: Tesla looked at the car and would not configure it.
SKIPPED: tuple[type[APIError], ...] = (
    VirtualKeyNotPaired,
    UnsupportedFirmware,
    ConfigLimitReached,
    UnsupportedHardware,
)


def unknown_fields(unknown: Iterable[str], known: Iterable[str]) -> ValidationFailed:
    names = sorted(unknown)
    return ValidationFailed(
        f"Not fields a car can stream: {', '.join(names)}.",
        field="fields",
        unknown_fields=names,
        remedy={"valid_fields": list(known)},
    )


def receiver_missing() -> TelemetryReceiverMissing:
    return TelemetryReceiverMissing(
        "fleetgate's telemetry receiver has no public hostname or CA chain configured, so a car would not know where "
        "to stream.",
        remedy={"settings": ["FLEETGATE_TELEMETRY_HOSTNAME", "FLEETGATE_TELEMETRY_CA_CHAIN_PATH"]},
    )


def app_key_missing() -> AppKeyMissing:
    return AppKeyMissing(
        "A telemetry config is signed with the application's private key, and fleetgate has none configured.",
        remedy={"action": "configure_private_key", "command": "fleetgate keys generate"},
    )


def firmware_refused(key: VirtualKeyFacts, device_id: str, remedy: dict[str, Any] | None) -> UnsupportedFirmware:
    return UnsupportedFirmware(
        f"{key.vehicle} runs software too old for Fleet Telemetry, as Tesla last said; nothing was sent to Tesla.",
        remedy=remedy,
        device_id=device_id,
        firmware=key.firmware,
    )


def skipped_error(reason: str, device_id: str, key: VirtualKeyFacts) -> APIError:
    """Tesla's reason for skipping the car (a key of `skipped_vehicles`) as the API's error."""
    if reason == "missing_key":
        return VirtualKeyNotPaired(
            f"Tesla did not configure {key.vehicle}: the car does not know the application's virtual key, which "
            "streaming needs.",
            remedy=key_remedy(key, try_anyway=False),
            device_id=device_id,
        )
    if reason == "unsupported_firmware":
        return UnsupportedFirmware(
            f"Tesla did not configure {key.vehicle}: its software does not support Fleet Telemetry.",
            remedy={"action": "update_software", "note": FIRMWARE_NOTE},
            device_id=device_id,
        )
    if reason == "max_configs":
        return ConfigLimitReached(
            f"Tesla did not configure {key.vehicle}: it already streams to as many applications as it can.",
            remedy={"action": "remove_other_app", "note": MANAGE_ACCESS_NOTE},
            device_id=device_id,
        )
    return UnsupportedHardware(
        f"Tesla did not configure {key.vehicle}: {reason.replace('_', ' ')}.",
        remedy={"note": "This car cannot stream Fleet Telemetry; read its state by polling instead."},
        device_id=device_id,
        tesla_reason=reason,
    )
