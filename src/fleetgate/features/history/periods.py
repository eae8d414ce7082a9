"""The range a history request covers, cut in the device's time zone, and whether it can still change.

`period` (day, week, month, year) is the calendar span a range defaults to: the day, the ISO week from Monday, the
month or the year that holds now; with `start` alone, the period that begins there; with `end` alone, the one that
ends there. `start` and `end` are dates (`2026-12-01`, midnight in the zone; an `end` date counts in full, up to the
next midnight) or date-times with a UTC offset (an `end` date-time is exclusive). A range is at most `MAX_DAYS` of its
period long, so that one request stays one or a few Tesla calls.

Energy history comes in one interval per day (per month for a year), as Tesla's `calendar_history` gives it; a range
that begins or ends inside a day has that day's interval cut to it.

Closed ranges never change and are stored for good: energy once the range has ended; backup once it has ended and no
outage in it is still going on; charging three days after it ended, because Tesla lists a session only once it has
ended, and a charge that began near the end of the range may go on for a long while after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fleetgate.infra.errors import ValidationFailed

Period = Literal["day", "week", "month", "year"]
Kind = Literal["energy", "backup", "charging"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")
KINDS: tuple[Kind, ...] = ("energy", "backup", "charging")
MAX_DAYS: dict[Period, int] = {"day": 31, "week": 92, "month": 366, "year": 3660}
CHARGING_SETTLES = timedelta(days=3)
# An outage that ended this close to the read may be one still going on (Tesla reports it so far).
ONGOING_MARGIN = timedelta(minutes=1)
REMEDY = {"action": "fix_request", "example": "?kind=energy&period=day&start=2026-12-01"}


@dataclass(frozen=True, slots=True)
class Range:
    start: datetime  # aware, in `zone`
    end: datetime  # exclusive
    zone_name: str

    @property
    def zone(self) -> tzinfo:
        return zone(self.zone_name)


def zone(name: str) -> tzinfo:
    """The named IANA zone; one this system does not know (or none) is UTC."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def checked_zone(name: str) -> str:
    """`name` if it is an IANA time zone this system knows; else the 422 that says so."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid(
            "time_zone", f"`time_zone` must be an IANA time zone (Europe/Berlin, UTC); got {name!r}."
        ) from None
    return name


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field=field, remedy=REMEDY)


def _midnight(day: date, where: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=where)


def _parse(field: str, value: str, where: tzinfo) -> tuple[datetime, bool]:
    """The moment `value` names, and whether it was a date alone."""
    text = value.strip()
    try:
        return _midnight(date.fromisoformat(text), where), True
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(
            field, f"`{field}` must be a date (2026-12-01) or a date-time with a UTC offset; got {value!r}."
        ) from None
    if moment.tzinfo is None:
        raise invalid(field, f"`{field}` needs a UTC offset (2026-12-01T08:00:00+01:00, or Z); got {value!r}.")
    return moment.astimezone(where), False


def _step(moment: datetime, period: Period, count: int) -> datetime:
    """`count` periods after (or before) `moment`, on the calendar of its zone."""
    day = moment.date()
    if period == "day":
        day += timedelta(days=count)
    elif period == "week":
        day += timedelta(weeks=count)
    else:
        months = count * (12 if period == "year" else 1)
        index = day.year * 12 + day.month - 1 + months
        day = date(index // 12, index % 12 + 1, 1) if day.day == 1 else _clamped(index, day.day)
    where = moment.tzinfo or UTC
    return datetime.combine(day, moment.timetz().replace(tzinfo=None), tzinfo=where)


def _clamped(index: int, day: int) -> date:
    year, month = index // 12, index % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day, (following - timedelta(days=1)).day))


def current_period_start(now: datetime, period: Period) -> datetime:
    today = now.date()
    if period == "week":
        today -= timedelta(days=today.weekday())
    elif period == "month":
        today = today.replace(day=1)
    elif period == "year":
        today = today.replace(month=1, day=1)
    return _midnight(today, now.tzinfo or UTC)


def resolve(period: Period, start: str | None, end: str | None, zone_name: str, now: datetime) -> Range:
    where = zone(zone_name)
    first = _parse("start", start, where)[0] if start is not None else None
    last = None
    if end is not None:
        last, whole_day = _parse("end", end, where)
        if whole_day:
            last = _midnight(last.date() + timedelta(days=1), where)
    if first is None:
        first = _step(last, period, -1) if last is not None else current_period_start(now.astimezone(where), period)
    if last is None:
        last = _step(first, period, 1)
    if first >= last:
        raise invalid("start", f"`start` ({first.isoformat()}) must be before `end` ({last.isoformat()}).")
    limit = MAX_DAYS[period]
    if last - first > timedelta(days=limit):
        raise invalid(
            "end",
            f"A range of `period={period}` is at most {limit} days long; this one is {(last - first).days} days. "
            "Ask for a longer period, or for the range in parts.",
        )
    return Range(first, last, zone_name)


def interval_end(start: datetime, kind_of_period: Period) -> datetime:
    """Where the interval that Tesla stamps at `start` ends: the next day, or the next month for a year."""
    if kind_of_period == "year":
        return _step(current_period_start(start, "month"), "month", 1)
    return _midnight(start.date() + timedelta(days=1), start.tzinfo or UTC)


def is_closed(kind: Kind, span: Range, fetched_at: datetime, latest_event_end: datetime | None = None) -> bool:
    if kind == "charging":
        return span.end + CHARGING_SETTLES <= fetched_at
    if span.end > fetched_at:
        return False
    return kind != "backup" or latest_event_end is None or latest_event_end < fetched_at - ONGOING_MARGIN
