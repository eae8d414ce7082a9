"""A device's history on its page: an energy site's energy flows of yesterday and its recent outages, a car's
recent charging sessions, each over a fixed range (`Window`) in the device's time zone.

A page view shows only what is stored (`device_histories`), never asking Tesla: a closed range is stored for good,
an open one as it was when last read. Loading one goes through `read_history`, as `GET /v1/devices/{id}/history`
with `max_age=0` would (a Tesla read billed as data, unless the range is closed and stored)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from fleetgate.features.console.device_views import REASONS
from fleetgate.features.devices.schemas import CapabilityOut
from fleetgate.features.history import store
from fleetgate.features.history.periods import Kind, Period, resolve, zone
from fleetgate.features.history.service import CAPABILITY_BY_KIND, KINDS_BY_DEVICE_TYPE, default_zone
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.runtime import Runtime

RECENT_DAYS = 30
TITLES: dict[Kind, str] = {
    "energy": "Energy yesterday",
    "backup": f"Grid outages in the last {RECENT_DAYS} days",
    "charging": f"Charging sessions in the last {RECENT_DAYS} days",
}
FLOWS = (
    ("solar_wh", "Solar"),
    ("home_wh", "Home"),
    ("battery_charge_wh", "Battery charge"),
    ("battery_discharge_wh", "Battery discharge"),
    ("grid_import_wh", "Grid import"),
    ("grid_export_wh", "Grid export"),
)
HEADERS: dict[Kind, tuple[str, ...]] = {
    "energy": ("Flow", "Energy"),
    "backup": ("Grid down", "Back", "Duration"),
    "charging": ("Start", "Duration", "Energy added", "Where"),
}


@dataclass(frozen=True, slots=True)
class Window:
    """The range a section shows, as the API's query gives it: `period`, `start` and `end` (dates in the zone)."""

    kind: Kind
    period: Period
    start: str
    end: str | None


@dataclass(frozen=True, slots=True)
class HistoryPanel:
    kind: Kind
    title: str
    available: bool
    reason: str | None
    explanation: str | None
    remedy: dict[str, Any] | None
    time_zone: str | None
    range_text: str | None
    fetched_at: datetime | None
    closed: bool
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    summary: str | None

    @property
    def loaded(self) -> bool:
        return self.fetched_at is not None


def window(kind: Kind, zone_name: str, now: datetime) -> Window:
    today = now.astimezone(zone(zone_name)).date()
    if kind == "energy":
        return Window(kind, "day", (today - timedelta(days=1)).isoformat(), None)
    return Window(kind, "month", (today - timedelta(days=RECENT_DAYS - 1)).isoformat(), today.isoformat())


def kwh(wh: Any) -> str:
    return f"{wh / 1000:.1f} kWh" if isinstance(wh, int | float) else "not reported"


def length(seconds: Any) -> str:
    if not isinstance(seconds, int | float):
        return "—"
    minutes = int(seconds) // 60
    if minutes < 60:
        return f"{minutes} min" if minutes else f"{int(seconds)} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def local(moment: Any) -> str:
    """An ISO 8601 moment of the API's, at its own offset (the zone's)."""
    if not isinstance(moment, str):
        return "—"
    return datetime.fromisoformat(moment).strftime("%Y-%m-%d %H:%M")


def _rows(kind: Kind, data: dict[str, Any]) -> tuple[list[tuple[str, ...]], str]:
    rows: list[tuple[str, ...]]
    if kind == "energy":
        totals = data.get("totals") or {}
        return [(label, kwh(totals.get(name))) for name, label in FLOWS], ""
    if kind == "backup":
        events = data.get("events") or []
        rows = [
            (local(event.get("start")), local(event.get("end")), length(event.get("duration_s"))) for event in events
        ]
        total = (data.get("totals") or {}).get("duration_s")
        if not rows:
            return rows, "No outage in this range."
        return rows, f"{len(rows)} outage{'s' if len(rows) != 1 else ''}, {length(total or 0)} off the grid in all."
    sessions = data.get("sessions") or []
    rows = [
        (
            local(item.get("start")),
            length(item.get("duration_s")),
            kwh(item.get("energy_added_wh")),
            str(item.get("location_name") or "—"),
        )
        for item in sessions
    ]
    added = (data.get("totals") or {}).get("energy_added_wh")
    if not rows:
        return rows, "No charging session in this range."
    return rows, f"{len(rows)} session{'s' if len(rows) != 1 else ''}, {kwh(added or 0)} added in all."


def range_text(kind: Kind, start: date, end: date, zone_name: str) -> str:
    if kind == "energy":
        return f"{start.isoformat()} ({zone_name})"
    return f"{start.isoformat()} to {(end - timedelta(days=1)).isoformat()} ({zone_name})"


async def _panel(
    runtime: Runtime, device_id: str, kind: Kind, zone_name: str | None, decision: CapabilityOut | None
) -> HistoryPanel:
    reason = decision.reason if decision is not None else None
    panel = HistoryPanel(
        kind=kind,
        title=TITLES[kind],
        available=decision is not None and decision.available,
        reason=reason,
        explanation=REASONS.get(reason or "", reason),
        remedy=decision.remedy if decision is not None else None,
        time_zone=zone_name,
        range_text=None,
        fetched_at=None,
        closed=False,
        headers=HEADERS[kind],
        rows=[],
        summary=None,
    )
    # As the API would, nothing is shown without the access: what is stored was read when the access was there.
    if not panel.available or zone_name is None:
        return panel
    now = utcnow()
    asked = window(kind, zone_name, now)
    span = resolve(asked.period, asked.start, asked.end, zone_name, now)
    panel = replace(panel, range_text=range_text(kind, span.start.date(), span.end.date(), zone_name))
    found = await store.stored(runtime, device_id, kind, asked.period, span)
    if found is None:
        return panel
    data, fetched_at, closed = found
    rows, summary = _rows(kind, data)
    return replace(panel, fetched_at=fetched_at, closed=closed, rows=rows, summary=summary or None)


async def history_panels(
    runtime: Runtime, device_id: str, device_type: str, capabilities: dict[str, CapabilityOut]
) -> list[HistoryPanel]:
    zone_name = await default_zone(runtime, device_id, device_type)
    return [
        await _panel(runtime, device_id, kind, zone_name, capabilities.get(CAPABILITY_BY_KIND[kind]))
        for kind in KINDS_BY_DEVICE_TYPE[device_type]
    ]
