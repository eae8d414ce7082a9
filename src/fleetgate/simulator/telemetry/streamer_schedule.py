"""When a car sends a configured field, as Tesla documents it.

Every `interval_seconds` the car looks at the field and sends it if it changed since it was last sent; a change
smaller than `minimum_delta` does not count (for `Location`, metres along the ground). The first look always sends.
With `resend_interval_seconds` an unchanged value is sent again once that long has passed since it was last sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from fleetgate.protocol.telemetry.records import Location, TelemetryValue
from fleetgate.simulator.telemetry.configs import FieldConfig

EARTH_RADIUS_METRES = 6_371_000.0


@dataclass(slots=True)
class _Sent:
    value: TelemetryValue
    at: float


@dataclass(slots=True)
class FieldSchedule:
    fields: dict[str, FieldConfig]
    _last_look: dict[str, float] = field(default_factory=dict)
    _sent: dict[str, _Sent] = field(default_factory=dict)

    def due(self, now: float, values: dict[str, TelemetryValue]) -> dict[str, TelemetryValue]:
        """The values to send now; they count as sent from here on."""
        due: dict[str, TelemetryValue] = {}
        for name, value in values.items():
            spec = self.fields.get(name)
            if spec is None:
                continue
            last_look = self._last_look.get(name)
            if last_look is not None and now - last_look < spec.interval_seconds:
                continue
            self._last_look[name] = now
            sent = self._sent.get(name)
            if sent is None or _changed(sent.value, value, spec.minimum_delta) or _resend_due(spec, sent, now):
                due[name] = value
                self._sent[name] = _Sent(value, now)
        return due


def _resend_due(spec: FieldConfig, sent: _Sent, now: float) -> bool:
    return spec.resend_interval_seconds is not None and now - sent.at >= spec.resend_interval_seconds


def _changed(before: TelemetryValue, after: TelemetryValue, minimum_delta: float | None) -> bool:
    if before == after:
        return False
    if minimum_delta is None:
        return True
    if isinstance(before, Location) and isinstance(after, Location):
        return _metres_between(before, after) >= minimum_delta
    old, new = _number(before), _number(after)
    if old is not None and new is not None:
        return abs(new - old) >= minimum_delta
    return True


def _number(value: TelemetryValue) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _metres_between(a: Location, b: Location) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(h))
