"""Schedule days as Tesla names them: REST takes names (`"Monday,Thursday"`, `"All"`, `"Weekdays"`, the short
forms its proxy reads, any case), the protocol message a bitmask, Sunday 1 to Saturday 64.

`canonical` writes a set of days one way only (full names, Sunday first, or `All`/`Weekdays`), so that a schedule
reads back from the car as it was sent."""

from __future__ import annotations

DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
ALL_DAYS, WEEKDAYS = 127, 62
# The names Tesla's proxy accepts, and no others ("Tue" and "Thu" are refused there too).
SHORT = ("SUN", "MON", "TUES", "WED", "THURS", "FRI", "SAT")
BITS: dict[str, int] = {
    **{name.upper(): 1 << index for index, name in enumerate(DAYS)},
    **{name: 1 << index for index, name in enumerate(SHORT)},
    "ALL": ALL_DAYS,
    "WEEKDAYS": WEEKDAYS,
}


class UnknownDay(ValueError):
    pass


def mask(names: str) -> int:
    total = 0
    for name in names.split(","):
        bit = BITS.get(name.strip().upper())
        if bit is None:
            raise UnknownDay(name.strip())
        total |= bit
    return total


def canonical(days: int) -> str:
    if days == ALL_DAYS:
        return "All"
    if days == WEEKDAYS:
        return "Weekdays"
    return ",".join(name for index, name in enumerate(DAYS) if days & (1 << index))
