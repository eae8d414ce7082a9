"""The records of each topic, as the protobufs Tesla's cars send."""

import contextlib
import random
from datetime import UTC, datetime

import pytest
from tesla_protocol.telemetry import vehicle_data_pb2

from fleetgate.protocol.telemetry.records import (
    Alert,
    Connectivity,
    Doors,
    Location,
    MalformedRecord,
    TelemetryValue,
    TimeOfDay,
    TireLocation,
    VehicleAlerts,
    VehicleError,
    VehicleErrors,
    decode_alerts,
    decode_connectivity,
    decode_errors,
    decode_vehicle_data,
    encode_alerts,
    encode_connectivity,
    encode_errors,
    encode_vehicle_data,
)

VIN = "5YJ3E1EA7KF000001"
AT = datetime(2026, 12, 6, 12, 30, 15, 250000, tzinfo=UTC)


def test_vehicle_data_round_trips_every_kind_of_value() -> None:
    data: dict[str, TelemetryValue] = {
        "VehicleName": "Blue",
        "ChargeLimitSoc": 80,
        "Odometer": 12345.5,
        "Locked": True,
        "SentryMode": "SentryModeStateArmed",
        "Location": Location(latitude=37.7749, longitude=-122.4194),
        "DetailedChargeState": "DetailedChargeStateCharging",
        "Gear": "ShiftStateD",
        "DoorState": Doors(DriverFront=True, TrunkRear=True),
        "TpmsHardWarnings": TireLocation(front_left=True, rear_right=True),
        "TpmsLastSeenPressureTimeFl": 2**40,
        "ScheduledDepartureTime": TimeOfDay(hour=22, minute=30, second=0),
        "Soc": None,
    }

    record = decode_vehicle_data(encode_vehicle_data(VIN, AT, data, is_resend=True))

    assert (record.vin, record.created_at, record.is_resend) == (VIN, AT, True)
    assert record.data == data


def test_values_use_the_cases_tesla_sends() -> None:
    payload = vehicle_data_pb2.Payload.FromString(
        encode_vehicle_data(
            VIN,
            AT,
            {
                "VehicleName": "x",
                "ChargeLimitSoc": 80,
                "Odometer": 1.5,
                "Locked": False,
                "Soc": None,
                "Gear": "ShiftStateP",
            },
        )
    )

    cases = {vehicle_data_pb2.Field.Name(datum.key): datum.value.WhichOneof("value") for datum in payload.data}
    assert cases == {
        "VehicleName": "string_value",
        "ChargeLimitSoc": "int_value",
        "Odometer": "double_value",
        "Locked": "boolean_value",
        "Soc": "invalid",
        "Gear": "shift_state_value",
    }


def test_every_value_case_decodes() -> None:
    payload = vehicle_data_pb2.Payload(vin=VIN)
    payload.created_at.FromDatetime(AT)
    cases = vehicle_data_pb2.Value.DESCRIPTOR.oneofs_by_name["value"].fields
    for number, case in enumerate(cases, start=1):
        value = vehicle_data_pb2.Value()
        if case.enum_type is not None:
            setattr(value, case.name, case.enum_type.values[1].number)
        elif case.message_type is not None:
            getattr(value, case.name).SetInParent()
        elif case.name == "string_value":
            value.string_value = "s"
        elif case.name in ("float_value", "double_value"):
            setattr(value, case.name, 0.5)
        elif case.name in ("int_value", "long_value"):
            setattr(value, case.name, 7)
        else:
            setattr(value, case.name, True)
        payload.data.add(key=number, value=value)

    data = decode_vehicle_data(payload.SerializeToString()).data

    decoded = {case.name: data[vehicle_data_pb2.Field.Name(n)] for n, case in enumerate(cases, start=1)}
    assert decoded["string_value"] == "s"
    assert decoded["float_value"] == 0.5
    assert decoded["long_value"] == 7
    assert decoded["boolean_value"] is True
    assert decoded["invalid"] is None
    assert decoded["location_value"] == Location(0.0, 0.0)
    assert decoded["door_value"] == Doors()
    assert decoded["time_value"] == TimeOfDay(0, 0, 0)
    assert decoded["tire_location_value"] == TireLocation()
    assert decoded["charging_value"] == "ChargeStateDisconnected"
    for case in cases:
        if case.enum_type is not None:
            assert decoded[case.name] == case.enum_type.values[1].name


def test_an_unknown_field_name_is_refused() -> None:
    with pytest.raises(ValueError, match="BatteryColour"):
        encode_vehicle_data(VIN, AT, {"BatteryColour": "red"})


def test_alerts_errors_and_connectivity_round_trip() -> None:
    alerts = VehicleAlerts(
        vin=VIN,
        created_at=AT,
        alerts=(
            Alert(name="Name_Of_The_Alert", audiences=("Customer", "Service"), started_at=AT, ended_at=None),
            Alert(name="Another", audiences=("ServiceFix",), started_at=AT, ended_at=AT),
        ),
    )
    errors = VehicleErrors(
        vin=VIN,
        created_at=AT,
        errors=(VehicleError(name="config_manager_error", created_at=AT, tags={"k": "v"}, body="bad config"),),
    )
    connectivity = Connectivity(
        vin=VIN, connection_id="c0ffee", status="DISCONNECTED", created_at=AT, network_interface="wifi"
    )

    assert decode_alerts(encode_alerts(alerts)) == alerts
    assert decode_errors(encode_errors(errors)) == errors
    assert decode_connectivity(encode_connectivity(connectivity)) == connectivity


@pytest.mark.parametrize("decode", [decode_vehicle_data, decode_alerts, decode_errors, decode_connectivity])
def test_bytes_that_do_not_parse_are_malformed_records(decode: object) -> None:
    assert callable(decode)
    with pytest.raises(MalformedRecord):
        decode(b"\x0a\xff\xff\xff\xff\x0f")


def test_random_bytes_raise_only_malformed_record() -> None:
    rng = random.Random(260)
    for _ in range(3000):
        with contextlib.suppress(MalformedRecord):
            decode_vehicle_data(rng.randbytes(rng.randrange(0, 64)))
