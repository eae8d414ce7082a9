"""Tesla's history payloads → the API's normalised history. Pure functions: no database, no Tesla.

Energy in Wh (Tesla's unit for energy sites; the charging history's kWh become Wh), durations in seconds, every
moment as ISO 8601 with the offset of the device's time zone. As with state, a field that is missing or malformed
becomes null rather than an error: Tesla's payloads vary.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fleetgate.features.history.periods import Period, Range, interval_end

# Our name → Tesla's field in a `calendar_history?kind=energy` entry.
ENERGY_FIELDS = {
    "solar_wh": "total_solar_generation",
    "home_wh": "total_home_usage",
    "battery_charge_wh": "total_battery_charge",
    "battery_discharge_wh": "total_battery_discharge",
    "grid_import_wh": "grid_energy_imported",
    "grid_export_wh": "total_grid_energy_exported",
    "solar_to_home_wh": "consumer_energy_imported_from_solar",
    "solar_to_battery_wh": "battery_energy_imported_from_solar",
    "solar_to_grid_wh": "grid_energy_exported_from_solar",
    "battery_to_home_wh": "consumer_energy_imported_from_battery",
    "battery_to_grid_wh": "grid_energy_exported_from_battery",
    "grid_to_home_wh": "consumer_energy_imported_from_grid",
    "grid_to_battery_wh": "battery_energy_imported_from_grid",
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _wh(value: Any) -> int | None:
    number = _number(value)
    return round(number) if number is not None else None


def _moment(value: Any, span: Range) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(span.zone) if parsed.tzinfo is not None else parsed.replace(tzinfo=span.zone)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _sum(items: list[dict[str, Any]], name: str) -> int | None:
    values = [item[name] for item in items if item.get(name) is not None]
    return sum(values) if values else None


def energy(payload: dict[str, Any], span: Range, period: Period) -> dict[str, Any]:
    """Intervals of `time_series`, each cut to the range (Tesla stamps a day's entry at its midnight)."""
    series = payload.get("time_series")
    entries = [entry for entry in series if isinstance(entry, dict)] if isinstance(series, list) else []
    intervals = []
    for entry in entries:
        stamp = _moment(entry.get("timestamp"), span)
        if stamp is None:
            continue
        start, end = max(stamp, span.start), min(interval_end(stamp, period), span.end)
        if start >= end:
            continue
        values = {name: _wh(entry.get(field)) for name, field in ENERGY_FIELDS.items()}
        intervals.append({"start": _iso(start), "end": _iso(end), **values})
    totals = {name: _sum(intervals, name) for name in ENERGY_FIELDS}
    return {"intervals": intervals, "totals": totals}


def backup(payload: dict[str, Any], span: Range) -> dict[str, Any]:
    """Outages that overlap the range, each whole (its start may precede the range)."""
    raw = payload.get("events")
    events: list[dict[str, Any]] = []
    for event in raw if isinstance(raw, list) else []:
        if not isinstance(event, dict):
            continue
        start, duration = _moment(event.get("timestamp"), span), _number(event.get("duration"))
        if start is None:
            continue
        end = start + timedelta(seconds=duration) if duration is not None else None
        events.append(
            {
                "start": _iso(start),
                "end": _iso(end) if end is not None else None,
                "duration_s": round(duration) if duration is not None else None,
            }
        )
    events.sort(key=lambda item: item["start"])
    durations = [event["duration_s"] for event in events if event["duration_s"] is not None]
    return {"events": events, "totals": {"events": len(events), "duration_s": sum(durations)}}


def latest_event_end(data: dict[str, Any]) -> datetime | None:
    ends = [datetime.fromisoformat(event["end"]) for event in data.get("events", []) if event.get("end")]
    return max(ends) if ends else None


def _charging_fee(item: dict[str, Any]) -> dict[str, Any] | None:
    fees = item.get("fees")
    for fee in fees if isinstance(fees, list) else []:
        if isinstance(fee, dict) and str(fee.get("feeType", "")).upper() == "CHARGING":
            return fee
    return None


def _energy_added_wh(fee: dict[str, Any] | None) -> int | None:
    if fee is None or str(fee.get("uom", "")).lower() != "kwh":
        return None
    parts = [_number(fee.get(name)) for name in ("usageBase", "usageTier1", "usageTier2", "usageTier3", "usageTier4")]
    known = [part for part in parts if part is not None]
    return round(sum(known) * 1000) if known else None


def _cost(item: dict[str, Any]) -> dict[str, Any] | None:
    fees = [fee for fee in item.get("fees") or [] if isinstance(fee, dict)]
    amounts = [_number(fee.get("totalDue")) for fee in fees]
    currencies = {fee.get("currencyCode") for fee in fees if isinstance(fee.get("currencyCode"), str)}
    if not fees or any(amount is None for amount in amounts) or len(currencies) != 1:
        return None
    return {"amount": round(sum(amount for amount in amounts if amount is not None), 2), "currency": currencies.pop()}


def charging_session(item: dict[str, Any], span: Range) -> dict[str, Any] | None:
    start = _moment(item.get("chargeStartDateTime"), span)
    if start is None or not span.start <= start < span.end:
        return None
    end = _moment(item.get("chargeStopDateTime"), span)
    unlatched = _moment(item.get("unlatchDateTime"), span)
    session_id = item.get("sessionId")
    location = item.get("siteLocationName")
    country = item.get("countryCode")
    return {
        "session_id": str(session_id) if session_id is not None else None,
        "start": _iso(start),
        "end": _iso(end) if end is not None else None,
        "duration_s": round((end - start).total_seconds()) if end is not None else None,
        "energy_added_wh": _energy_added_wh(_charging_fee(item)),
        "location_name": location if isinstance(location, str) else None,
        "country_code": country if isinstance(country, str) else None,
        "cost": _cost(item),
        "unplugged_at": _iso(unlatched) if unlatched is not None else None,
    }


def charging(items: list[dict[str, Any]], span: Range) -> dict[str, Any]:
    sessions = [session for item in items if (session := charging_session(item, span)) is not None]
    sessions.sort(key=lambda session: session["start"])
    return {
        "sessions": sessions,
        "totals": {"sessions": len(sessions), "energy_added_wh": _sum(sessions, "energy_added_wh")},
    }
