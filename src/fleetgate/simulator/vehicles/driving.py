"""Drives: a car going along the great circle from where it is to a destination at a steady speed.

A drive's progress is kilometres driven; the position at any progress is the exact point that far along the great
circle, so advancing the clock in one jump or in many steps gives the same place. Energy is drawn at a steady
Wh/km for the model (about what Tesla rates each one at), and the odometer counts miles, as Tesla's does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344
MIN_SPEED_KPH = 1.0
MAX_SPEED_KPH = 250.0
WH_PER_KM = {
    "Model 3": 150.0,
    "Model Y": 170.0,
    "Model S": 175.0,
    "Model X": 210.0,
    "Cybertruck": 280.0,
}
DEFAULT_WH_PER_KM = 170.0


class DriveRefused(Exception):
    """A drive the car cannot make; the message says why, as the control API answers it."""


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float


def wh_per_km(model: str) -> float:
    return WH_PER_KM.get(model, DEFAULT_WH_PER_KM)


def _angular_distance(a: Point, b: Point) -> float:
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi, dlambda = phi2 - phi1, math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Point, b: Point) -> float:
    return _angular_distance(a, b) * EARTH_RADIUS_KM


def bearing_deg(a: Point, b: Point) -> float:
    """The initial compass bearing from `a` towards `b`, 0-360."""
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dlambda = math.radians(b.longitude - a.longitude)
    y = math.sin(dlambda) * math.cos(phi2)
    x = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlambda)
    return math.degrees(math.atan2(y, x)) % 360.0


def destination(start: Point, bearing: float, km: float) -> Point:
    """The point `km` along the great circle leaving `start` at `bearing` degrees."""
    delta = km / EARTH_RADIUS_KM
    theta = math.radians(bearing)
    phi1, lambda1 = math.radians(start.latitude), math.radians(start.longitude)
    phi2 = math.asin(math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta))
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1), math.cos(delta) - math.sin(phi1) * math.sin(phi2)
    )
    return Point(math.degrees(phi2), _wrap_longitude(math.degrees(lambda2)))


def along(a: Point, b: Point, fraction: float) -> Point:
    """The point `fraction` of the way from `a` to `b` on the great circle between them."""
    delta = _angular_distance(a, b)
    if delta == 0:
        return a
    weight_a = math.sin((1 - fraction) * delta) / math.sin(delta)
    weight_b = math.sin(fraction * delta) / math.sin(delta)
    phi1, lambda1 = math.radians(a.latitude), math.radians(a.longitude)
    phi2, lambda2 = math.radians(b.latitude), math.radians(b.longitude)
    x = weight_a * math.cos(phi1) * math.cos(lambda1) + weight_b * math.cos(phi2) * math.cos(lambda2)
    y = weight_a * math.cos(phi1) * math.sin(lambda1) + weight_b * math.cos(phi2) * math.sin(lambda2)
    z = weight_a * math.sin(phi1) + weight_b * math.sin(phi2)
    return Point(math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x)))


def _wrap_longitude(longitude: float) -> float:
    return (longitude + 540.0) % 360.0 - 180.0


@dataclass(slots=True)
class Drive:
    origin: Point
    to: Point
    distance_km: float
    speed_kph: float
    wh_per_km: float
    started_at: float
    driven_km: float = 0.0

    @property
    def arrives_at(self) -> float:
        return self.started_at + self.distance_km / self.speed_kph * 3600.0

    @property
    def energy_kwh(self) -> float:
        return self.distance_km * self.wh_per_km / 1000.0

    @property
    def power_kw(self) -> float:
        return self.speed_kph * self.wh_per_km / 1000.0

    def remaining_seconds(self) -> float:
        return max(self.distance_km - self.driven_km, 0.0) / self.speed_kph * 3600.0

    def drive_for(self, seconds: float) -> float:
        """Moves on by `seconds` of driving, never past the destination; the kilometres covered."""
        left = max(self.distance_km - self.driven_km, 0.0)
        km = self.speed_kph * seconds / 3600.0
        if km >= left:
            self.driven_km = self.distance_km
            return left
        self.driven_km += km
        return km

    def position(self) -> Point:
        if self.driven_km >= self.distance_km:
            return self.to
        return along(self.origin, self.to, self.driven_km / self.distance_km)

    def heading(self) -> float:
        here = self.position()
        if here == self.to:
            # At the end the car still faces the way it was going: the bearing it arrived on.
            return (bearing_deg(self.to, self.origin) + 180.0) % 360.0
        return bearing_deg(here, self.to)


def plan(
    *,
    start: Point,
    heading: float,
    to: Point | None,
    km: float | None,
    speed_kph: float,
    model: str,
    now: float,
) -> Drive:
    """A drive to `to`, or `km` straight ahead on the car's heading."""
    if (to is None) == (km is None):
        raise DriveRefused("a drive needs either a destination ('to') or a distance ('distance_km')")
    if not MIN_SPEED_KPH <= speed_kph <= MAX_SPEED_KPH:
        raise DriveRefused(f"speed_kph must be between {MIN_SPEED_KPH:g} and {MAX_SPEED_KPH:g}")
    destination_point = to if to is not None else destination(start, heading, km or 0.0)
    length = distance_km(start, destination_point)
    if length < 0.001:
        raise DriveRefused("the car is already there")
    return Drive(
        origin=start,
        to=destination_point,
        distance_km=length,
        speed_kph=speed_kph,
        wh_per_km=wh_per_km(model),
        started_at=now,
    )
