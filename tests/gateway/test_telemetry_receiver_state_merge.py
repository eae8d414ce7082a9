from datetime import UTC, datetime, timedelta

from fleetgate.features.devices.state_merge import polled_over_stored, streamed_over_stored
from fleetgate.infra.db.base import iso

POLLED_AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
BEFORE, AFTER = POLLED_AT - timedelta(seconds=30), POLLED_AT + timedelta(seconds=30)


class TestStreamedOverStored:
    def test_a_field_streamed_after_the_poll_wins_and_is_dated(self) -> None:
        stored = {"battery_level_pct": 50.0, "locked": True}
        data, times, changed = streamed_over_stored(stored, None, POLLED_AT, {"battery_level_pct": 51.0}, AFTER)
        assert data == {"battery_level_pct": 51.0, "locked": True}
        assert times == {"battery_level_pct": iso(AFTER)}
        assert changed == {"battery_level_pct": (50.0, 51.0)}

    def test_a_record_made_before_the_poll_changes_nothing(self) -> None:
        stored = {"battery_level_pct": 50.0}
        data, times, changed = streamed_over_stored(stored, None, POLLED_AT, {"battery_level_pct": 40.0}, BEFORE)
        assert (data, times, changed) == (stored, {}, {})

    def test_a_new_position_keeps_the_heading(self) -> None:
        stored = {"location": {"latitude": 1.0, "longitude": 2.0, "heading_deg": 90.0}}
        data, _, changed = streamed_over_stored(
            stored, None, POLLED_AT, {"location": {"latitude": 1.5, "longitude": 2.0}}, AFTER
        )
        assert data["location"] == {"latitude": 1.5, "longitude": 2.0, "heading_deg": 90.0}
        assert set(changed) == {"location"}

    def test_a_heading_without_a_location_is_not_set(self) -> None:
        data, times, _ = streamed_over_stored({"location": None}, None, None, {"location.heading_deg": 10.0}, AFTER)
        assert data == {"location": None}
        assert times == {}


class TestPolledOverStored:
    def test_fields_streamed_after_the_poll_keep_their_values(self) -> None:
        stored = {"battery_level_pct": 51.0, "locked": False}
        times = {"battery_level_pct": iso(AFTER), "locked": iso(BEFORE)}
        data, kept = polled_over_stored({"battery_level_pct": 50.0, "locked": True}, POLLED_AT, stored, times)
        assert data == {"battery_level_pct": 51.0, "locked": True}
        assert kept == {"battery_level_pct": iso(AFTER)}
