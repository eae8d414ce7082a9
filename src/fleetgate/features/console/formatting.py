"""How the console writes times, ages and Tesla's values: plain text a person reads, with machine values beside."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment

from fleetgate.infra.db.base import iso as utc_iso
from fleetgate.infra.db.base import utcnow

UNITS = ((86400, "day"), (3600, "h"), (60, "min"))


def when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def iso(moment: datetime | None) -> str:
    return utc_iso(moment) if moment is not None else ""


def duration(seconds: float) -> str:
    seconds = max(seconds, 0.0)
    for size, unit in UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if unit == 'day' and count != 1 else ''}"
    return f"{int(seconds)} s"


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return "never"
    return f"{duration(((now or utcnow()) - moment).total_seconds())} ago"


def value(item: Any) -> str:
    """A value of Tesla's as text: null is "not reported", booleans are yes/no."""
    if item is None:
        return "not reported"
    if isinstance(item, bool):
        return "yes" if item else "no"
    if isinstance(item, float):
        return f"{item:g}"
    if isinstance(item, dict | list):
        return json.dumps(item, sort_keys=True)
    return str(item)


def plural(count: int, singular: str, many: str | None = None) -> str:
    """The count with its noun: "1 energy site", "2 energy sites"."""
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def pretty_json(item: Any) -> str:
    return json.dumps(item, indent=2, sort_keys=True, ensure_ascii=False)


def usd(amount: float) -> str:
    return f"${amount:,.4f}" if 0 < amount < 0.01 else f"${amount:,.2f}"


FILTERS = {
    "when": when,
    "iso": iso,
    "ago": ago,
    "value": value,
    "pretty_json": pretty_json,
    "usd": usd,
    "plural": plural,
}


def install_filters(env: Environment) -> None:
    if "ago" not in env.filters:
        env.filters.update(FILTERS)
