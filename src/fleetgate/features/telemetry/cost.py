"""What a telemetry config costs a day, next to polling `vehicle_data` for the same freshness.

Tesla bills streaming per signal (one field's value in a record): 150,000 signals per $1. A car sends a field at
most once per `interval_seconds`, and, when the field has a `minimum_delta`, only once its value moved by more than
that since the last one sent. How often a value moves depends on what the car is doing, so the estimate walks a
typical day (`TYPICAL_DAY`) through each field's change rate in each activity (`CHANGES_PER_HOUR`, at the
catalogue's default `minimum_delta`):

- signals of a field in an activity = hours × min(3600 / interval, changes per hour × default delta / delta): a
  larger delta drops changes in proportion, a smaller one (or 0) lets more through, and the interval caps them all;
- the car sends every configured field once each time it wakes and connects (`WAKES_A_DAY`);
- an asleep car sends nothing;
- fields that share a Tesla field (`charging_state` and `plugged_in`) are one signal: the car sends Tesla's field.

Polling is billed per data request: 500 per $1. The same freshness costs one `vehicle_data` call per freshness
interval while the car is awake (a poller that leaves a sleeping car alone), whatever changed; and a read is
activity, so a poller that reads more often than a car's time to fall asleep (`SLEEP_AFTER_SECONDS`) keeps it
awake all day, paying for every interval of it.

Estimates, not a bill: the usage ledger counts what is actually received.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

SIGNALS_PER_USD = 150_000
DATA_REQUESTS_PER_USD = 500
DAYS_A_MONTH = 30
# A car falls asleep after about 15 minutes without activity; a vehicle_data read is activity.
SLEEP_AFTER_SECONDS = 15 * 60
DRIVING, CHARGING, PARKED_AWAKE = "driving", "charging", "parked_awake"
# Hours a day; the rest of the day the car sleeps.
TYPICAL_DAY: Mapping[str, float] = {DRIVING: 1.0, CHARGING: 2.0, PARKED_AWAKE: 1.0}
AWAKE_HOURS = sum(TYPICAL_DAY.values())
WAKES_A_DAY = 3

# Changes beyond the catalogue's default minimum_delta per hour, by Tesla field, while driving, charging and parked
# awake. Driving: about 50 km/h, 15 % of the battery an hour; charging: 11 kW AC, 20 % an hour; parked awake: the
# doors, the locks and the climate.
CHANGES_PER_HOUR: Mapping[str, tuple[float, float, float]] = {
    "BatteryLevel": (15, 20, 0),
    "RatedRange": (40, 50, 0),
    "DetailedChargeState": (0, 1, 1),
    "ChargeLimitSoc": (0, 0.1, 0.1),
    "ChargeAmps": (0, 2, 0),
    "ChargerVoltage": (0, 4, 0),
    "TimeToFullCharge": (0, 10, 0),
    "ChargePortDoorOpen": (0, 1, 1),
    "Locked": (1, 0.5, 2),
    "SentryMode": (0, 0.5, 0.5),
    "HvacPower": (0.5, 0.5, 1),
    "InsideTemp": (6, 2, 4),
    "OutsideTemp": (4, 1, 1),
    "HvacLeftTemperatureRequest": (0.5, 0, 0.5),
    "Odometer": (30, 0, 0),
    "Version": (0, 0, 0),
    "Location": (1000, 0, 0),
    "GpsHeading": (120, 0, 0),
}
# A field the table does not know: a state that changes now and then.
UNKNOWN_FIELD = (2.0, 2.0, 2.0)
ASSUMPTIONS = (
    f"A typical day: {TYPICAL_DAY[DRIVING]:g} h driving, {TYPICAL_DAY[CHARGING]:g} h charging, "
    f"{TYPICAL_DAY[PARKED_AWAKE]:g} h parked awake, asleep the rest (an asleep car sends nothing).",
    "A field is sent at most once per interval, and only when it moved by more than its minimum_delta; each field "
    "has its own change rate per activity (at the catalogue's default minimum_delta, in proportion otherwise).",
    f"Every field is sent once each time the car wakes and connects, {WAKES_A_DAY} times a day.",
    f"Streaming: {SIGNALS_PER_USD:,} signals per $1. Polling: one vehicle_data call per freshness interval while "
    f"the car is awake ({AWAKE_HOURS:g} h), {DATA_REQUESTS_PER_USD} data requests per $1; a read is activity, so "
    f"polling more often than every {SLEEP_AFTER_SECONDS // 60} minutes keeps the car awake all day.",
)


@dataclass(frozen=True, slots=True)
class StreamedSetting:
    """One Tesla field as configured: its interval and delta, and the catalogue's default delta."""

    tesla_field: str
    interval_seconds: int
    minimum_delta: float | None
    default_delta: float | None


@dataclass(frozen=True, slots=True)
class FieldCost:
    tesla_field: str
    signals_per_day: float


@dataclass(frozen=True, slots=True)
class Estimate:
    fields: tuple[FieldCost, ...]
    signals_per_day: float
    usd_per_day: float
    freshness_seconds: int
    polling_requests_per_day: float
    polling_usd_per_day: float

    @property
    def usd_per_month(self) -> float:
        return self.usd_per_day * DAYS_A_MONTH

    @property
    def polling_usd_per_month(self) -> float:
        return self.polling_usd_per_day * DAYS_A_MONTH


def changes_per_hour(setting: StreamedSetting, activity_rate: float) -> float:
    """Changes that pass the setting's delta, given the rate at the default delta."""
    if activity_rate <= 0:
        return 0.0
    default, delta = setting.default_delta, setting.minimum_delta
    if default is None or delta is None:
        return activity_rate
    if delta <= 0:
        return math.inf
    return activity_rate * default / delta


def field_signals_per_day(setting: StreamedSetting) -> float:
    rates = CHANGES_PER_HOUR.get(setting.tesla_field, UNKNOWN_FIELD)
    per_hour_cap = 3600 / setting.interval_seconds
    signals = float(WAKES_A_DAY)
    for hours, rate in zip(TYPICAL_DAY.values(), rates, strict=True):
        signals += hours * min(per_hour_cap, changes_per_hour(setting, rate))
    return signals


def polling_requests_per_day(freshness_seconds: int) -> float:
    hours = 24.0 if freshness_seconds < SLEEP_AFTER_SECONDS else AWAKE_HOURS
    return math.ceil(hours * 3600 / freshness_seconds)


def estimate(settings: list[StreamedSetting], freshness_seconds: int) -> Estimate:
    fields = tuple(FieldCost(setting.tesla_field, field_signals_per_day(setting)) for setting in settings)
    signals = sum(field.signals_per_day for field in fields)
    requests = polling_requests_per_day(freshness_seconds)
    return Estimate(
        fields=fields,
        signals_per_day=signals,
        usd_per_day=signals / SIGNALS_PER_USD,
        freshness_seconds=freshness_seconds,
        polling_requests_per_day=requests,
        polling_usd_per_day=requests / DATA_REQUESTS_PER_USD,
    )
