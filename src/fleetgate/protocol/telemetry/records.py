"""The records a car streams, by topic, as the protobufs of `tesla_protocol.telemetry`.

`V` is a `Payload` of datums, each a `Field` and a `Value`; here a datum is a Field's name and a Python value: `str`,
`int`, `float`, `bool`, a `Location`, `Doors`, `TireLocation` or `TimeOfDay`, an enum value as Tesla names it
("DetailedChargeStateCharging", "ShiftStateD") or `None` for a value the car marks invalid. Tesla's enum value names
are unique across the package, so a string that is one of them is that enum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from google.protobuf.message import DecodeError
from google.protobuf.timestamp_pb2 import Timestamp
from tesla_protocol.telemetry import (
    vehicle_alert_pb2,
    vehicle_connectivity_pb2,
    vehicle_data_pb2,
    vehicle_error_pb2,
)

TOPIC_VEHICLE_DATA = b"V"
TOPIC_ALERTS = b"alerts"
TOPIC_ERRORS = b"errors"
TOPIC_CONNECTIVITY = b"connectivity"


class MalformedRecord(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Doors:
    DriverFront: bool = False
    DriverRear: bool = False
    PassengerFront: bool = False
    PassengerRear: bool = False
    TrunkFront: bool = False
    TrunkRear: bool = False


@dataclass(frozen=True, slots=True)
class TireLocation:
    front_left: bool = False
    front_right: bool = False
    rear_left: bool = False
    rear_right: bool = False
    semi_middle_axle_left_2: bool = False
    semi_middle_axle_right_2: bool = False
    semi_rear_axle_left: bool = False
    semi_rear_axle_right: bool = False
    semi_rear_axle_left_2: bool = False
    semi_rear_axle_right_2: bool = False


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    hour: int
    minute: int
    second: int


TelemetryValue = str | int | float | bool | Location | Doors | TireLocation | TimeOfDay | None


@dataclass(frozen=True, slots=True)
class VehicleData:
    vin: str
    created_at: datetime
    is_resend: bool
    data: Mapping[str, TelemetryValue]


@dataclass(frozen=True, slots=True)
class Alert:
    name: str
    audiences: tuple[str, ...]
    started_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class VehicleAlerts:
    vin: str
    created_at: datetime
    alerts: tuple[Alert, ...]


@dataclass(frozen=True, slots=True)
class VehicleError:
    name: str
    created_at: datetime | None
    tags: Mapping[str, str]
    body: str


@dataclass(frozen=True, slots=True)
class VehicleErrors:
    vin: str
    created_at: datetime
    errors: tuple[VehicleError, ...]


@dataclass(frozen=True, slots=True)
class Connectivity:
    vin: str
    connection_id: str
    status: str  # "CONNECTED" or "DISCONNECTED"
    created_at: datetime
    network_interface: str


_VALUE = vehicle_data_pb2.Value.DESCRIPTOR
_ENUM_CASES: dict[str, str] = {
    enum_value.name: case.name for case in _VALUE.fields if case.enum_type for enum_value in case.enum_type.values
}
_MESSAGE_CASES: dict[type, tuple[str, Any]] = {
    Doors: ("door_value", vehicle_data_pb2.Doors),
    TireLocation: ("tire_location_value", vehicle_data_pb2.TireLocation),
    TimeOfDay: ("time_value", vehicle_data_pb2.Time),
}
_FIELD_NAMES = frozenset(vehicle_data_pb2.Field.keys())
_INT32 = range(-(2**31), 2**31)


def encode_vehicle_data(
    vin: str, created_at: datetime, data: Mapping[str, TelemetryValue], *, is_resend: bool = False
) -> bytes:
    payload = vehicle_data_pb2.Payload(vin=vin, created_at=_timestamp(created_at), is_resend=is_resend)
    for name, value in data.items():
        if name not in _FIELD_NAMES:
            raise ValueError(f"{name!r} is not a Field of Tesla's")
        payload.data.append(vehicle_data_pb2.Datum(key=name, value=_encode_value(value)))
    return bytes(payload.SerializeToString())


def decode_vehicle_data(payload: bytes) -> VehicleData:
    record = _parse(vehicle_data_pb2.Payload, payload)
    data: dict[str, TelemetryValue] = {}
    for datum in record.data:
        data[_field_name(datum.key)] = _decode_value(datum.value)
    return VehicleData(vin=record.vin, created_at=_datetime(record.created_at), is_resend=record.is_resend, data=data)


def encode_alerts(alerts: VehicleAlerts) -> bytes:
    record = vehicle_alert_pb2.VehicleAlerts(vin=alerts.vin, created_at=_timestamp(alerts.created_at))
    for alert in alerts.alerts:
        item = record.alerts.add(name=alert.name, audiences=alert.audiences)
        if alert.started_at is not None:
            item.started_at.CopyFrom(_timestamp(alert.started_at))
        if alert.ended_at is not None:
            item.ended_at.CopyFrom(_timestamp(alert.ended_at))
    return bytes(record.SerializeToString())


def decode_alerts(payload: bytes) -> VehicleAlerts:
    record = _parse(vehicle_alert_pb2.VehicleAlerts, payload)
    return VehicleAlerts(
        vin=record.vin,
        created_at=_datetime(record.created_at),
        alerts=tuple(
            Alert(
                name=alert.name,
                audiences=tuple(_enum_name(vehicle_alert_pb2.Audience, audience) for audience in alert.audiences),
                started_at=_datetime(alert.started_at) if alert.HasField("started_at") else None,
                ended_at=_datetime(alert.ended_at) if alert.HasField("ended_at") else None,
            )
            for alert in record.alerts
        ),
    )


def encode_errors(errors: VehicleErrors) -> bytes:
    record = vehicle_error_pb2.VehicleErrors(vin=errors.vin, created_at=_timestamp(errors.created_at))
    for error in errors.errors:
        item = record.errors.add(name=error.name, body=error.body)
        item.tags.update(error.tags)
        if error.created_at is not None:
            item.created_at.CopyFrom(_timestamp(error.created_at))
    return bytes(record.SerializeToString())


def decode_errors(payload: bytes) -> VehicleErrors:
    record = _parse(vehicle_error_pb2.VehicleErrors, payload)
    return VehicleErrors(
        vin=record.vin,
        created_at=_datetime(record.created_at),
        errors=tuple(
            VehicleError(
                name=error.name,
                created_at=_datetime(error.created_at) if error.HasField("created_at") else None,
                tags=dict(error.tags),
                body=error.body,
            )
            for error in record.errors
        ),
    )


def encode_connectivity(event: Connectivity) -> bytes:
    record = vehicle_connectivity_pb2.VehicleConnectivity(
        vin=event.vin,
        connection_id=event.connection_id,
        status=event.status,
        created_at=_timestamp(event.created_at),
        network_interface=event.network_interface,
    )
    return bytes(record.SerializeToString())


def decode_connectivity(payload: bytes) -> Connectivity:
    record = _parse(vehicle_connectivity_pb2.VehicleConnectivity, payload)
    return Connectivity(
        vin=record.vin,
        connection_id=record.connection_id,
        status=_enum_name(vehicle_connectivity_pb2.ConnectivityEvent, record.status),
        created_at=_datetime(record.created_at),
        network_interface=record.network_interface,
    )


def _encode_value(value: TelemetryValue) -> vehicle_data_pb2.Value:
    if value is None:
        return vehicle_data_pb2.Value(invalid=True)
    if isinstance(value, bool):
        return vehicle_data_pb2.Value(boolean_value=value)
    if isinstance(value, int):
        if value in _INT32:
            return vehicle_data_pb2.Value(int_value=value)
        return vehicle_data_pb2.Value(long_value=value)
    if isinstance(value, float):
        return vehicle_data_pb2.Value(double_value=value)
    if isinstance(value, str):
        case = _ENUM_CASES.get(value)
        if case is not None:
            enum_case: dict[str, Any] = {case: value}
            return vehicle_data_pb2.Value(**enum_case)
        return vehicle_data_pb2.Value(string_value=value)
    if isinstance(value, Location):
        location = vehicle_data_pb2.LocationValue(latitude=value.latitude, longitude=value.longitude)
        return vehicle_data_pb2.Value(location_value=location)
    case, message_type = _MESSAGE_CASES[type(value)]
    message_case: dict[str, Any] = {case: message_type(**_as_dict(value))}
    return vehicle_data_pb2.Value(**message_case)


def _decode_value(value: vehicle_data_pb2.Value) -> TelemetryValue:
    case = value.WhichOneof("value")
    if case is None or case == "invalid":
        return None
    content: Any = getattr(value, case)
    descriptor = _VALUE.fields_by_name[case]
    if descriptor.enum_type is not None:
        number = int(content)
        known = descriptor.enum_type.values_by_number.get(number)
        return known.name if known is not None else number
    if case == "location_value":
        return Location(latitude=content.latitude, longitude=content.longitude)
    if case == "door_value":
        return Doors(**_message_dict(content, Doors))
    if case == "tire_location_value":
        return TireLocation(**_message_dict(content, TireLocation))
    if case == "time_value":
        return TimeOfDay(**_message_dict(content, TimeOfDay))
    if case in ("float_value", "double_value"):
        return float(content)
    if case in ("int_value", "long_value"):
        return int(content)
    if case == "boolean_value":
        return bool(content)
    return str(content)


def _field_name(number: int) -> str:
    known = vehicle_data_pb2.Field.DESCRIPTOR.values_by_number.get(number)
    return known.name if known is not None else str(number)


def _enum_name(enum: Any, number: int) -> str:
    known = enum.DESCRIPTOR.values_by_number.get(number)
    return str(known.name) if known is not None else str(number)


def _as_dict(value: Doors | TireLocation | TimeOfDay) -> dict[str, Any]:
    return {item.name: getattr(value, item.name) for item in fields(value)}


def _message_dict(message: Any, shape: type) -> dict[str, Any]:
    return {item.name: getattr(message, item.name) for item in fields(shape)}


def _parse(message_type: Any, payload: bytes) -> Any:
    record = message_type()
    try:
        record.ParseFromString(payload)
    except (DecodeError, ValueError) as error:
        raise MalformedRecord(f"not a {message_type.DESCRIPTOR.name}: {error}") from error
    return record


def _timestamp(moment: datetime) -> Timestamp:
    if moment.tzinfo is None:
        raise ValueError("a record's time must be aware")
    stamp = Timestamp()
    stamp.FromDatetime(moment.astimezone(UTC))
    return stamp


def _datetime(stamp: Timestamp) -> datetime:
    try:
        return stamp.ToDatetime(tzinfo=UTC)
    except (ValueError, OverflowError) as error:
        raise MalformedRecord(f"time out of range: {error}") from error
