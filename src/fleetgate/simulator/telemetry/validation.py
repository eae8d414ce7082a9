"""A posted configuration checked as Tesla's Fleet API checks it, before any car sees it.

What the API refuses outright (400, Tesla's "Refer to …" error with what was wrong as its description): a missing
or malformed `hostname`, a `port` that is not an integer (a string once broke streaming silently; here it is
refused), a `ca` that is not PEM certificates, `fields` naming no field of Tesla's `Field` enum or with a bad
interval, an unknown alert type or delivery policy, an `exp` not in the future. What depends on the car (its
firmware, its key, its other apps) is decided per car by the route, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeGuard

from tesla_protocol.telemetry import vehicle_data_pb2

from fleetgate.simulator.envelope import TeslaHTTPError
from fleetgate.simulator.telemetry.configs import FieldConfig

SETUP_DOCS = "https://developer.tesla.com/docs/fleet-api/fleet-telemetry"
INVALID_CONFIG = f"Refer to {SETUP_DOCS} for instructions setting up fleet-telemetry."
FIELD_NAMES = frozenset(name for name in vehicle_data_pb2.Field.DESCRIPTOR.values_by_name if name != "Unknown")
LOCATION_FIELDS = frozenset(
    {"Location", "OriginLocation", "DestinationLocation", "DestinationName", "RouteLine", "GpsState", "GpsHeading"}
)
ALERT_TYPES = ("service", "customer", "service-fix")
DELIVERY_POLICIES = ("latest", "all")
DEFAULT_PORT = 443
# Firmware from which a car takes configs at all, and from which it honours `minimum_delta` and resends.
MIN_FIRMWARE = (2024, 26)
DELTA_FIRMWARE = (2024, 44, 32)
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
_PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----")


@dataclass(frozen=True, slots=True)
class ConfigRequest:
    hostname: str
    port: int
    ca: str
    fields: dict[str, FieldConfig]
    alert_types: list[str]
    exp: int
    delivery_policy: str | None

    @property
    def wants_location(self) -> bool:
        return not LOCATION_FIELDS.isdisjoint(self.fields)

    @property
    def needs_delta_firmware(self) -> bool:
        return any(f.minimum_delta is not None or f.resend_interval_seconds is not None for f in self.fields.values())


def invalid_config(reason: str) -> TeslaHTTPError:
    return TeslaHTTPError(400, INVALID_CONFIG, reason)


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _field(name: str, spec: Any) -> FieldConfig:
    if name not in FIELD_NAMES:
        raise invalid_config(f"fields: unknown field {name}")
    if not isinstance(spec, dict):
        raise invalid_config(f"fields.{name} must be an object")
    interval = spec.get("interval_seconds")
    if not _is_int(interval) or interval < 1:
        raise invalid_config(f"fields.{name}.interval_seconds must be a positive integer")
    delta = spec.get("minimum_delta")
    if delta is not None and (not _is_number(delta) or delta < 0):
        raise invalid_config(f"fields.{name}.minimum_delta must be a number, zero or more")
    resend = spec.get("resend_interval_seconds")
    if resend is not None and (not _is_int(resend) or resend < 1):
        raise invalid_config(f"fields.{name}.resend_interval_seconds must be a positive integer")
    return FieldConfig(interval_seconds=interval, minimum_delta=delta, resend_interval_seconds=resend)


def parse_config(claims: dict[str, Any], now: float) -> ConfigRequest:
    hostname = claims.get("hostname")
    if not isinstance(hostname, str) or not _HOSTNAME.match(hostname):
        raise invalid_config("hostname must be a host name, without scheme, port or path")
    port = claims.get("port", DEFAULT_PORT)
    if not _is_int(port) or not 0 < port < 65536:
        raise invalid_config("port must be an integer between 1 and 65535")
    ca = claims.get("ca")
    if not isinstance(ca, str) or not _PEM_CERTIFICATE.search(ca):
        raise invalid_config("ca must be the PEM certificate chain of the server's certificate")
    fields = claims.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise invalid_config("fields must name at least one field")
    parsed = {name: _field(name, spec) for name, spec in fields.items()}
    alert_types = claims.get("alert_types", [])
    if not isinstance(alert_types, list) or not all(a in ALERT_TYPES for a in alert_types):
        raise invalid_config(f"alert_types must be a list of {', '.join(ALERT_TYPES)}")
    exp = claims.get("exp")
    if not _is_int(exp) or exp <= now:
        raise invalid_config("exp must be a time in the future, in epoch seconds")
    policy = claims.get("delivery_policy")
    if policy is not None and policy not in DELIVERY_POLICIES:
        raise invalid_config(f"delivery_policy must be one of {', '.join(DELIVERY_POLICIES)}")
    return ConfigRequest(
        hostname=hostname,
        port=port,
        ca=ca,
        fields=parsed,
        alert_types=list(dict.fromkeys(alert_types)),
        exp=exp,
        delivery_policy=policy,
    )
