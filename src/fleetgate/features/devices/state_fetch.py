"""Reading a device's state from Tesla: no database here, only the calls and what they answered.

Vehicles: first the cheap `GET /vehicles/{vin}` (not billed, not rate limited). A car that is asleep or offline is
woken only when the caller asked (`tesla.wake`). Then one `vehicle_data` (billed as data), with `location_data`
only for a connection that may read the location. Energy sites: `live_status`, plus `site_info` unless a recent
one is known (each billed as data).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fleetgate.features.devices import normalize
from fleetgate.infra.db.base import iso, utcnow
from fleetgate.infra.models.device_state import Reading
from fleetgate.tesla import errors as tesla
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.wake import NotOnline, WakePolicy, online_state, wake

# site_info holds settings (backup reserve, operation mode, storm mode) that change rarely and only by command.
SITE_INFO_MAX_AGE = timedelta(minutes=5)
VEHICLE_ENDPOINTS = (
    "charge_state",
    "climate_state",
    "vehicle_state",
    "charge_schedule_data",
    "preconditioning_schedule_data",
)
# `drive_state` is asked for only with the location: older firmware puts the location there unasked.
LOCATION_ENDPOINTS = ("drive_state", "location_data")

SiteInfo = tuple[dict[str, Any], datetime]  # site_info and when it was read


async def fetch_vehicle(api: FleetApi, policy: WakePolicy, vin: str, *, location: bool, wake_it: bool) -> Reading:
    online = online_state(await api.vehicle(vin))
    woken = False
    if online == "asleep" or online == "offline":
        if not wake_it:
            raise NotOnline(online, woken=False)
        woken = True
        await wake(api, vin, policy)
    try:
        try:
            payload = await api.vehicle_data(vin, VEHICLE_ENDPOINTS + (LOCATION_ENDPOINTS if location else ()))
        except tesla.MissingScopes as exc:
            if not location or "vehicle_device_data" in exc.scopes:
                raise
            # The user took the location away on Tesla's side, and the connection's scopes will say so only after
            # the next token refresh: the rest is still readable, and the location shows as null.
            payload = await api.vehicle_data(vin, VEHICLE_ENDPOINTS)
    except tesla.VehicleUnavailable:
        # It fell asleep between the two calls (Tesla's 408): the same answer as a car found asleep.
        raise NotOnline("asleep", woken=woken, reason="Tesla could not reach it for its data") from None
    raw = {"vehicle_data": payload if location else normalize.strip_location(payload)}
    data = normalize.normalize_vehicle(payload, with_location=location)
    return Reading(utcnow(), online_state(payload) or "online", data, raw, location)


async def fetch_site(api: FleetApi, site_id: int, site_info: SiteInfo | None) -> Reading:
    live = await api.live_status(site_id)
    info, info_at = site_info if site_info is not None else (await api.site_info(site_id), utcnow())
    raw = {"live_status": live, "site_info": info, "site_info_fetched_at": iso(info_at)}
    return Reading(utcnow(), None, normalize.normalize_energy_site(live, info), raw, False)


def recent_site_info(raw: dict[str, Any] | None, now: datetime, changed_at: datetime | None) -> SiteInfo | None:
    """The site_info kept in a site's raw payload, if it was read less than `SITE_INFO_MAX_AGE` ago and not before
    the site's last successful command (which changed the settings site_info holds)."""
    if raw is None:
        return None
    info, at = raw.get("site_info"), _instant(raw.get("site_info_fetched_at"))
    if not isinstance(info, dict) or at is None or not timedelta(0) <= now - at < SITE_INFO_MAX_AGE:
        return None
    if changed_at is not None and changed_at >= at:
        return None
    return info, at


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
