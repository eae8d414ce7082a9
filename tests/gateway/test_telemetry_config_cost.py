"""The cost estimate of a telemetry config: signals a day from each field's change rate in a typical day, capped by
its interval and scaled by its delta, at 150,000 signals per $1; beside polling `vehicle_data` once per freshness
interval while the car is awake, at 500 requests per $1."""

from __future__ import annotations

import math

import pytest

from fleetgate.features.telemetry.cost import (
    AWAKE_HOURS,
    CHANGES_PER_HOUR,
    SLEEP_AFTER_SECONDS,
    TYPICAL_DAY,
    WAKES_A_DAY,
    StreamedSetting,
    estimate,
    field_signals_per_day,
    polling_requests_per_day,
)
from fleetgate.features.telemetry.fields import CATALOGUE, StreamedField


def battery(interval: int, delta: float | None = 1) -> StreamedSetting:
    return StreamedSetting("BatteryLevel", interval, delta, 1)


class TestFieldSignals:
    def test_a_field_sends_its_changes_when_the_interval_allows_them(self) -> None:
        # BatteryLevel moves 15 % an hour driving and 20 % charging; at 60 s up to 60 signals an hour fit.
        assert TYPICAL_DAY == {"driving": 1.0, "charging": 2.0, "parked_awake": 1.0}
        assert field_signals_per_day(battery(60)) == WAKES_A_DAY + 1 * 15 + 2 * 20

    def test_the_interval_caps_a_field_that_changes_more_often(self) -> None:
        # At 600 s, 6 an hour: fewer than its changes, driving and charging.
        assert field_signals_per_day(battery(600)) == WAKES_A_DAY + 1 * 6 + 2 * 6

    def test_a_larger_delta_drops_changes_in_proportion(self) -> None:
        assert field_signals_per_day(battery(60, 5)) == WAKES_A_DAY + 1 * 3 + 2 * 4

    def test_a_delta_of_zero_sends_every_interval_the_field_moves(self) -> None:
        assert field_signals_per_day(battery(300, 0)) == WAKES_A_DAY + 1 * 12 + 2 * 12

    def test_location_streams_only_while_driving(self) -> None:
        location = StreamedSetting("Location", 30, 50, 50)
        assert field_signals_per_day(location) == WAKES_A_DAY + 1 * 120

    @pytest.mark.parametrize("field", CATALOGUE, ids=lambda field: field.name)
    def test_every_catalogue_field_has_a_change_rate(self, field: StreamedField) -> None:
        assert field.tesla_field in CHANGES_PER_HOUR


class TestEstimate:
    def test_streaming_next_to_polling_at_the_same_freshness(self) -> None:
        found = estimate([battery(300), StreamedSetting("Locked", 300, None, None)], 300)
        # BatteryLevel: 3 + 12 + 24; Locked: 3 + 1 + 2 * 0.5 + 2.
        assert found.signals_per_day == 39 + 7
        assert math.isclose(found.usd_per_day, 46 / 150_000)
        assert math.isclose(found.usd_per_month, 30 * 46 / 150_000)
        # Every 300 s keeps the car from sleeping (it sleeps after 15 idle minutes): 288 calls a day, 500 per $1.
        assert found.polling_requests_per_day == polling_requests_per_day(300) == 288
        assert math.isclose(found.polling_usd_per_day, 288 / 500)
        assert math.isclose(found.polling_usd_per_month, 30 * 288 / 500)
        # A poller slower than that lets the car sleep: it pays for the 4 hours the car is awake anyway.
        assert AWAKE_HOURS == 4
        assert polling_requests_per_day(1800) == 8
        assert polling_requests_per_day(SLEEP_AFTER_SECONDS) == 16
