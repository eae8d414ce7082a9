"""The settings a telemetry error names are settings fleetgate reads."""

from __future__ import annotations

from fleetgate.config import Settings
from fleetgate.features.telemetry.errors import receiver_missing


def test_a_missing_receiver_names_real_settings() -> None:
    remedy = receiver_missing().remedy
    assert remedy is not None
    for name in remedy["settings"]:
        assert name.removeprefix("FLEETGATE_").lower() in Settings.model_fields, name
