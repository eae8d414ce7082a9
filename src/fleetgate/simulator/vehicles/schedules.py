"""Charge and precondition schedules (firmware 2024.26 and later) and when they next act.

Times are minutes after midnight in the car's local time, which is UTC here. `days_of_week` is Tesla's bitmask,
Sunday 1 to Saturday 64, as `vehicle_data` shows it; commands name the days as Tesla's proxy reads them
(`"Monday,Thursday"`, `"All"`, `"Weekdays"`). A schedule belongs to a place: it acts only while the car is within
`SCHEDULE_RADIUS_KM` of its `lat`/`lon`, as a home schedule does nothing at work.

A charge window that ends before it starts (22:00 to 06:00) ends the next morning; its day is the day it starts.
A precondition schedule's time is the departure: the cabin is conditioned from the car's lead time before it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fleetgate.simulator.vehicles.driving import Point, distance_km

SECONDS_PER_DAY = 86400.0
MINUTES_PER_DAY = 1440
ALL_DAYS = 127
WEEKDAYS = 62
SCHEDULE_RADIUS_KM = 1.0
MAX_SCHEDULES = 10
# The day names Tesla's proxy accepts, and no others ("Tue" and "Thu" are refused there too).
DAY_BITS = {
    "SUN": 1,
    "SUNDAY": 1,
    "MON": 2,
    "MONDAY": 2,
    "TUES": 4,
    "TUESDAY": 4,
    "WED": 8,
    "WEDNESDAY": 8,
    "THURS": 16,
    "THURSDAY": 16,
    "FRI": 32,
    "FRIDAY": 32,
    "SAT": 64,
    "SATURDAY": 64,
    "ALL": ALL_DAYS,
    "WEEKDAYS": WEEKDAYS,
}
EPOCH_WEEKDAY = 4  # 1970-01-01 was a Thursday; Sunday is day 0


class UnknownDay(ValueError):
    pass


def parse_days(names: str) -> int:
    """The bitmask of `"Monday,Friday"`-style names."""
    mask = 0
    for name in names.split(","):
        bit = DAY_BITS.get(name.strip().upper())
        if bit is None:
            raise UnknownDay(name)
        mask |= bit
    return mask


def day_bit(at: float) -> int:
    return 1 << int((math.floor(at / SECONDS_PER_DAY) + EPOCH_WEEKDAY) % 7)


def next_time(days: int, minute: int, after: float) -> float | None:
    """The first `minute` of a day in `days` strictly after `after`."""
    midnight = math.floor(after / SECONDS_PER_DAY) * SECONDS_PER_DAY
    for day in range(8):
        day_start = midnight + day * SECONDS_PER_DAY
        at = day_start + minute * 60.0
        if at > after and day_bit(day_start) & days:
            return at
    return None


def _earliest(times: Iterable[float | None]) -> float | None:
    return min((t for t in times if t is not None), default=None)


@dataclass(slots=True)
class Place:
    latitude: float
    longitude: float

    def is_near(self, latitude: float, longitude: float) -> bool:
        return distance_km(Point(self.latitude, self.longitude), Point(latitude, longitude)) <= SCHEDULE_RADIUS_KM


@dataclass(slots=True)
class ChargeSchedule:
    id: int
    name: str
    days_of_week: int
    enabled: bool
    start_enabled: bool
    start_time: int
    end_enabled: bool
    end_time: int
    one_time: bool
    place: Place

    def window_seconds(self) -> float:
        minutes = (self.end_time - self.start_time) % MINUTES_PER_DAY
        return (minutes or MINUTES_PER_DAY) * 60.0

    def next_start(self, after: float) -> float | None:
        if not (self.enabled and self.start_enabled):
            return None
        return next_time(self.days_of_week, self.start_time, after)

    def next_end(self, after: float) -> float | None:
        if not (self.enabled and self.end_enabled):
            return None
        if not self.start_enabled:
            return next_time(self.days_of_week, self.end_time, after)
        # The end of a window belongs to the day the window started, which may be yesterday.
        length = self.window_seconds()
        start = next_time(self.days_of_week, self.start_time, after - length)
        return start + length if start is not None else None

    def is_done_after_start(self) -> bool:
        """A one-time schedule is spent once it has run: at its end when it has one, else when it started."""
        return self.one_time and not self.end_enabled

    def as_tesla(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "days_of_week": self.days_of_week,
            "start_enabled": self.start_enabled,
            "start_time": self.start_time,
            "end_enabled": self.end_enabled,
            "end_time": self.end_time,
            "one_time": self.one_time,
            "enabled": self.enabled,
            "latitude": self.place.latitude,
            "longitude": self.place.longitude,
        }


@dataclass(slots=True)
class PreconditionSchedule:
    id: int
    name: str
    days_of_week: int
    enabled: bool
    precondition_time: int  # the departure
    one_time: bool
    place: Place | None  # None: anywhere (the older departure planner has no place)

    def next_departure(self, after: float) -> float | None:
        if not self.enabled:
            return None
        return next_time(self.days_of_week, self.precondition_time, after)

    def applies_at(self, latitude: float, longitude: float) -> bool:
        return self.place is None or self.place.is_near(latitude, longitude)

    def as_tesla(self) -> dict[str, Any]:
        place = self.place or Place(0.0, 0.0)
        return {
            "id": self.id,
            "name": self.name,
            "days_of_week": self.days_of_week,
            "precondition_time": self.precondition_time,
            "one_time": self.one_time,
            "enabled": self.enabled,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }


def next_charge_start(schedules: Iterable[ChargeSchedule], after: float) -> float | None:
    return _earliest(s.next_start(after) for s in schedules)


def next_charge_end(schedules: Iterable[ChargeSchedule], after: float) -> float | None:
    return _earliest(s.next_end(after) for s in schedules)


def next_departure(schedules: Iterable[PreconditionSchedule], after: float) -> float | None:
    return _earliest(s.next_departure(after) for s in schedules)
