"""A decoded record as a broker carries it: its kind (Tesla's topic: `V`, `alerts`, `errors`, `connectivity`), the
VIN of the car's certificate, and a JSON body.

A `V` body has the record's fields twice: `state`, in fleetgate's names and units where `fields.CATALOGUE` maps them
(as `GET /v1/devices/{id}/state` nests them), and `fields`, every datum under Tesla's `Field` name with its value as
the car sent it (an enum as Tesla names it, a location as `{latitude, longitude}`, null for an invalid value). Both
leave out what needs the `vehicle_location` scope unless a device the record feeds may read the location.

Every body names `devices`: fleetgate's devices (and their workspaces) the record fed, as a car can be linked in
several workspaces; the broker is the deployment's, not a workspace's.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol

from fleetgate.features.telemetry.ingest import state_values
from fleetgate.infra.db.base import iso, utcnow
from fleetgate.protocol.telemetry.records import (
    Connectivity,
    Location,
    TelemetryValue,
    VehicleAlerts,
    VehicleData,
    VehicleErrors,
)

VEHICLE_DATA = "V"
ALERTS = "alerts"
ERRORS = "errors"
CONNECTIVITY = "connectivity"

# Tesla's fields that need the vehicle_location scope (its Fleet Telemetry docs).
LOCATION_FIELDS = frozenset(
    {"Location", "OriginLocation", "DestinationLocation", "DestinationName", "RouteLine", "GpsState", "GpsHeading"}
)
# A subject token or topic level is never split or widened by what a car's certificate names.
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class Recipient(Protocol):
    """A device of fleetgate's that a record feeds (the receiver's `StreamedDevice` is one)."""

    @property
    def id(self) -> str: ...

    @property
    def workspace_id(self) -> str: ...

    @property
    def location(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class BrokerRecord:
    kind: str
    vin: str
    body: Mapping[str, Any]
    # `V` only: Tesla's field name → its JSON value, for MQTT's topic per field.
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def safe_vin(self) -> str:
        return _UNSAFE.sub("_", self.vin) or "_"

    def payload(self) -> bytes:
        return _json(self.body)


def vehicle_data_record(vin: str, record: VehicleData, devices: Sequence[Recipient]) -> BrokerRecord:
    location = any(device.location for device in devices)
    raw = {name: json_value(value) for name, value in record.data.items() if location or name not in LOCATION_FIELDS}
    body = {
        **_head(vin, VEHICLE_DATA, record.created_at, devices),
        "is_resend": record.is_resend,
        "state": normalised_state(record.data, location=location),
        "fields": raw,
    }
    return BrokerRecord(VEHICLE_DATA, vin, body, raw)


def alerts_record(vin: str, record: VehicleAlerts, devices: Sequence[Recipient]) -> BrokerRecord:
    alerts = [
        {
            "name": alert.name,
            "audiences": list(alert.audiences),
            "started_at": _moment(alert.started_at),
            "ended_at": _moment(alert.ended_at),
        }
        for alert in record.alerts
    ]
    return BrokerRecord(ALERTS, vin, {**_head(vin, ALERTS, record.created_at, devices), "alerts": alerts})


def errors_record(vin: str, record: VehicleErrors, devices: Sequence[Recipient]) -> BrokerRecord:
    errors = [
        {"name": error.name, "created_at": _moment(error.created_at), "tags": dict(error.tags), "body": error.body}
        for error in record.errors
    ]
    return BrokerRecord(ERRORS, vin, {**_head(vin, ERRORS, record.created_at, devices), "errors": errors})


def connectivity_record(vin: str, event: Connectivity, devices: Sequence[Recipient]) -> BrokerRecord:
    body = {
        **_head(vin, CONNECTIVITY, event.created_at, devices),
        "connection_id": event.connection_id,
        "status": event.status,
        "network_interface": event.network_interface,
    }
    return BrokerRecord(CONNECTIVITY, vin, body)


def normalised_state(data: Mapping[str, TelemetryValue], *, location: bool) -> dict[str, Any]:
    """As the receiver stores it (`ingest.state_values`), nested as the state is: `location.heading_deg` inside
    `location`."""
    state: dict[str, Any] = {}
    for name, value in state_values(data, location=location).items():
        *parents, leaf = name.split(".")
        target = state
        for parent in parents:
            nested = target.get(parent)
            if not isinstance(nested, dict):
                # A member arriving without its object: the object holds it alone.
                nested = target[parent] = {}
            target = nested
        if isinstance(value, dict) and isinstance(target.get(leaf), dict):
            target[leaf] = {**value, **target[leaf]}
        else:
            target[leaf] = value
    return state


def json_value(value: TelemetryValue) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Location):
        return {"latitude": json_value(value.latitude), "longitude": json_value(value.longitude)}
    if value is None or isinstance(value, str | int | bool):
        return value
    return asdict(value)


def encode_json(value: Any) -> bytes:
    return _json(value)


def _head(vin: str, kind: str, created_at: datetime, devices: Sequence[Recipient]) -> dict[str, Any]:
    return {
        "vin": vin,
        "topic": kind,
        "created_at": iso(created_at),
        "received_at": iso(utcnow()),
        "devices": [{"device_id": device.id, "workspace_id": device.workspace_id} for device in devices],
    }


def _moment(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), allow_nan=False).encode()


def broker_record(
    vin: str, record: VehicleData | VehicleAlerts | VehicleErrors | Connectivity, devices: Sequence[Recipient]
) -> BrokerRecord:
    if isinstance(record, VehicleData):
        return vehicle_data_record(vin, record, devices)
    if isinstance(record, VehicleAlerts):
        return alerts_record(vin, record, devices)
    if isinstance(record, VehicleErrors):
        return errors_record(vin, record, devices)
    return connectivity_record(vin, record, devices)
