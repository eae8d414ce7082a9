from dataclasses import dataclass

import pytest
from tesla_protocol.telemetry import vehicle_data_pb2

from fleetgate.features.devices.state_schemas import VehicleData
from fleetgate.features.telemetry.fields import BY_NAME, BY_TESLA_FIELD, CATALOGUE


@dataclass
class Place:
    latitude: float
    longitude: float


def test_every_row_names_a_tesla_field_and_a_state_field() -> None:
    state_fields = set(VehicleData.model_fields)
    for field in CATALOGUE:
        assert vehicle_data_pb2.Field.Value(field.tesla_field)
        assert field.path[0] in state_fields
        assert (field.access == "vehicle_location") == (field.path[0] == "location")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("battery_range_km", 100.0, 160.93),
        ("battery_range_mi", 100.0, 100.0),
        ("charging_state", "DetailedChargeStateNoPower", "no_power"),
        ("charging_state", "DetailedChargeStateCalibrating", "unknown"),
        ("plugged_in", "DetailedChargeStateDisconnected", False),
        ("plugged_in", "DetailedChargeStateCharging", True),
        ("minutes_to_full_charge", 1.5, 90),
        ("sentry_mode", "SentryModeStateArmed", True),
        ("sentry_mode", "SentryModeStateOff", False),
        ("climate_on", "HvacPowerStatePrecondition", True),
        ("software_version", "2025.20.6 0fe780c9", "2025.20.6"),
        ("location", Place(37.4, -122.1), {"latitude": 37.4, "longitude": -122.1}),
        ("location", Place(137.4, -122.1), None),
        ("locked", "true", None),
        ("battery_level_pct", True, None),
    ],
)
def test_conversion_from_teslas_units(name: str, value: object, expected: object) -> None:
    assert BY_NAME[name].convert(value) == expected


def test_a_tesla_field_feeds_every_row_that_shares_it() -> None:
    assert {field.name for field in BY_TESLA_FIELD["Odometer"]} == {"odometer_km", "odometer_mi"}
