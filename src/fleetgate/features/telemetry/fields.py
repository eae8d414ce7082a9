"""The fields an app can ask a car to stream, by fleetgate's names (those of `GET /v1/devices/{id}/state`).

One row per state field: Tesla's `Field` that carries it, the conversion from Tesla's unit and type, the access
it needs, a default `minimum_delta` in Tesla's unit (so the car itself drops float churn, which Tesla bills), and
the event a change of it becomes. Several rows may share a Tesla field (the range in km and in miles); a dotted
name sets a member of a nested state object (`location.heading_deg`).

Tesla's enums arrive as their protobuf names (`DetailedChargeStateCharging`); anything of another type than the
row expects converts to null, as with `vehicle_data` (`features/devices/normalize.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from fleetgate.features.events.types import VEHICLE_CHARGING_STATE_CHANGED, VEHICLE_LOCATION_CHANGED

KM_PER_MILE = 1.609344
Access = Literal["vehicle_data", "vehicle_location"]


class Place(Protocol):
    @property
    def latitude(self) -> float: ...

    @property
    def longitude(self) -> float: ...


Convert = Callable[[object], Any]


@dataclass(frozen=True)
class StreamedField:
    name: str
    tesla_field: str
    convert: Convert
    access: Access = "vehicle_data"
    minimum_delta: float | None = None
    event: str | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


# -- conversions -------------------------------------------------------------------------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _as_is(value: object) -> float | None:
    return _number(value)


def _whole(value: object) -> int | None:
    found = _number(value)
    return round(found) if found is not None else None


def _km(value: object) -> float | None:
    miles = _number(value)
    return round(miles * KM_PER_MILE, 2) if miles is not None else None


def _hours_to_minutes(value: object) -> int | None:
    hours = _number(value)
    return max(round(hours * 60), 0) if hours is not None else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _enum_word(value: object, prefix: str) -> str | None:
    """`DetailedChargeStateNoPower` → `nopower`; the bare word (`NoPower`) is accepted too."""
    if not isinstance(value, str) or not value:
        return None
    return value.removeprefix(prefix).lower()


_CHARGING_STATES = {
    "disconnected": "disconnected",
    "nopower": "no_power",
    "starting": "starting",
    "charging": "charging",
    "complete": "complete",
    "stopped": "stopped",
}


def _charging_state(value: object) -> str | None:
    word = _enum_word(value, "DetailedChargeState")
    return None if word is None else _CHARGING_STATES.get(word, "unknown")


def _plugged_in(value: object) -> bool | None:
    state = _charging_state(value)
    return None if state in (None, "unknown") else state != "disconnected"


def _sentry_mode(value: object) -> bool | None:
    word = _enum_word(value, "SentryModeState")
    return None if word in (None, "unknown") else word != "off"


def _climate_on(value: object) -> bool | None:
    # Tesla's HvacPowerState: Off, On, Precondition, OverheatProtect; all but Off run the climate system.
    word = _enum_word(value, "HvacPowerState")
    return None if word in (None, "unknown") else word != "off"


def _software_version(value: object) -> str | None:
    # "2025.20.6 0fe780c9…": the version, then a build hash, as in `vehicle_data`'s `car_version`.
    if not isinstance(value, str) or not value.strip():
        return None
    return value.split()[0][:40]


def _location(value: object) -> dict[str, float] | None:
    latitude, longitude = _number(getattr(value, "latitude", None)), _number(getattr(value, "longitude", None))
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return {"latitude": latitude, "longitude": longitude}


# -- the catalogue -----------------------------------------------------------------------------------------------

LOCATION: Access = "vehicle_location"

CATALOGUE: tuple[StreamedField, ...] = (
    StreamedField("battery_level_pct", "BatteryLevel", _as_is, minimum_delta=1),
    StreamedField("battery_range_km", "RatedRange", _km, minimum_delta=1),
    StreamedField("battery_range_mi", "RatedRange", _as_is, minimum_delta=1),
    StreamedField("charging_state", "DetailedChargeState", _charging_state, event=VEHICLE_CHARGING_STATE_CHANGED),
    StreamedField("plugged_in", "DetailedChargeState", _plugged_in),
    StreamedField("charge_limit_pct", "ChargeLimitSoc", _whole),
    StreamedField("charge_current_a", "ChargeAmps", _as_is, minimum_delta=1),
    StreamedField("charge_voltage_v", "ChargerVoltage", _as_is, minimum_delta=5),
    StreamedField("minutes_to_full_charge", "TimeToFullCharge", _hours_to_minutes, minimum_delta=0.1),
    StreamedField("charge_port_open", "ChargePortDoorOpen", _flag),
    StreamedField("locked", "Locked", _flag),
    StreamedField("sentry_mode", "SentryMode", _sentry_mode),
    StreamedField("climate_on", "HvacPower", _climate_on),
    StreamedField("inside_temp_c", "InsideTemp", _as_is, minimum_delta=0.5),
    StreamedField("outside_temp_c", "OutsideTemp", _as_is, minimum_delta=0.5),
    StreamedField("driver_temp_setting_c", "HvacLeftTemperatureRequest", _as_is, minimum_delta=0.5),
    StreamedField("odometer_km", "Odometer", _km, minimum_delta=1),
    StreamedField("odometer_mi", "Odometer", _as_is, minimum_delta=1),
    StreamedField("software_version", "Version", _software_version),
    # Tesla takes Location's minimum_delta in metres.
    StreamedField("location", "Location", _location, access=LOCATION, minimum_delta=50, event=VEHICLE_LOCATION_CHANGED),
    StreamedField("location.heading_deg", "GpsHeading", _as_is, access=LOCATION, minimum_delta=5),
)

BY_NAME: Mapping[str, StreamedField] = {field.name: field for field in CATALOGUE}
BY_TESLA_FIELD: Mapping[str, tuple[StreamedField, ...]] = {
    tesla: tuple(field for field in CATALOGUE if field.tesla_field == tesla)
    for tesla in dict.fromkeys(field.tesla_field for field in CATALOGUE)
}
