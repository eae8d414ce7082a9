"""Where a polled read and Fleet Telemetry meet in a device's stored state: field by field, the newer value wins.

A poll (`vehicle_data`) dates every field it carries from the moment of the read; a streamed record dates only the
fields it carries, from the moment the car made it. `field_times` keeps the moment of each field streamed since the
last poll (by its name in the state, dotted for a member: `location.heading_deg`); a field not in it dates from the
last poll. A poll that lands after a field was streamed keeps the streamed value, and a record the car made before
the last poll changes none of the fields the poll read. Pure functions: the caller holds the row.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fleetgate.infra.db.base import iso

FieldTimes = dict[str, str]


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def value_at(data: Mapping[str, Any], name: str) -> tuple[bool, Any]:
    """Whether `data` has the field, and its value."""
    head, dot, member = name.partition(".")
    if head not in data:
        return False, None
    value = data[head]
    if not dot:
        return True, value
    return (member in value, value.get(member)) if isinstance(value, dict) else (False, None)


def set_value(data: dict[str, Any], name: str, value: Any) -> bool:
    """Sets the field; a member of an object the state does not have (a heading without a location) is not set."""
    head, dot, member = name.partition(".")
    if not dot:
        data[head] = value
        return True
    parent = data.get(head)
    if not isinstance(parent, dict):
        return False
    parent[member] = value
    return True


def polled_over_stored(
    polled: Mapping[str, Any], polled_at: datetime, stored: Mapping[str, Any] | None, times: FieldTimes | None
) -> tuple[dict[str, Any], FieldTimes]:
    """A poll's data with the fields streamed after it kept from the stored state, and their times."""
    data = copy.deepcopy(dict(polled))
    kept: FieldTimes = {}
    # Objects before their members: a streamed location, then a heading streamed after it.
    for name in sorted(times or {}, key=len):
        at = (times or {})[name]
        if stored is None or parse_time(at) <= polled_at:
            continue
        found, value = value_at(stored, name)
        if found and set_value(data, name, copy.deepcopy(value)):
            kept[name] = at
    return data, kept


def streamed_over_stored(
    stored: Mapping[str, Any],
    times: FieldTimes | None,
    polled_at: datetime | None,
    values: Mapping[str, Any],
    made_at: datetime,
) -> tuple[dict[str, Any], FieldTimes, dict[str, tuple[Any, Any]]]:
    """The stored state with a record's values (by state name) that are newer than what it holds, their times, and
    what changed (name → (before, after))."""
    data = copy.deepcopy(dict(stored))
    new_times: FieldTimes = dict(times or {})
    changed: dict[str, tuple[Any, Any]] = {}
    for name in sorted(values, key=len):
        known = new_times.get(name)
        known_at = parse_time(known) if known is not None else polled_at
        if known_at is not None and made_at <= known_at:
            continue
        value = values[name]
        if name == "location" and isinstance(value, dict):
            # Tesla streams the position and the heading as separate fields: a new position keeps the heading.
            before_location = data.get("location")
            heading = before_location.get("heading_deg") if isinstance(before_location, dict) else None
            value = {"heading_deg": heading, **value}
        _, before = value_at(data, name)
        if not set_value(data, name, value):
            continue
        new_times[name] = iso(made_at)
        if before != value:
            changed[name] = (before, value)
    return data, new_times, changed
