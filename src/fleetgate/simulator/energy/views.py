"""Energy sites as the Fleet API shows them: `site_info`, `live_status`, the `products` entry and the histories.

Power in W, energy in Wh, as Tesla reports them. Hardware details (serial numbers, DINs) are derived from the
site id so that they stay the same between calls without drawing on the world's random stream.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from fleetgate.simulator.energy import physics
from fleetgate.simulator.energy.site import BackupEvent, EnergySite

Period = Literal["day", "week", "month", "year", "lifetime"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year", "lifetime")
# Replay resolution: finer for short periods; hourly keeps a multi-year lifetime query well under a second.
HISTORY_SLOTS: dict[Period, int] = {"day": 900, "week": 900, "month": 900, "year": 3600, "lifetime": 3600}
# The history is replayed with the settings of each moment (`EnergySite.stretches`) from a fixed charge, one day
# ahead of the window so that the battery has settled into its daily rhythm by the time the window opens.
HISTORY_START_CHARGE = 50.0
HISTORY_WARM_UP_SECONDS = 86_400
FIRMWARE_VERSION = "24.44.0 0fe780c9"


def _digest(site: EnergySite, what: str) -> str:
    return hashlib.sha256(f"{site.energy_site_id}:{what}".encode()).hexdigest().upper()


def _serial(site: EnergySite, prefix: str, what: str) -> str:
    return f"{prefix}{_digest(site, what)[:10]}"


def _local_iso(t: float, zone: tzinfo) -> str:
    return datetime.fromtimestamp(t, zone).isoformat(timespec="seconds")


def _gateway(site: EnergySite) -> dict[str, Any]:
    serial = _serial(site, "GF", "gateway")
    return {
        "device_id": _digest(site, "gateway-device")[:32].lower(),
        "din": f"1232100-00-E--{serial}",
        "serial_number": serial,
        "part_number": "1232100-00-E",
        "part_type": 10,
        "part_name": "Tesla Backup Gateway 2",
        "is_active": True,
        "site_id": site.id,
        "firmware_version": FIRMWARE_VERSION,
        "updated_datetime": site.installation_date,
    }


def _batteries(site: EnergySite) -> list[dict[str, Any]]:
    if not site.has_powerwall:
        return []
    per_battery_wh = round(site.total_pack_energy_wh / site.battery_count)
    batteries = []
    for number in range(1, site.battery_count + 1):
        serial = _serial(site, "TG", f"battery-{number}")
        batteries.append(
            {
                "device_id": _digest(site, f"battery-device-{number}")[:32].lower(),
                "din": f"3012170-10-B--{serial}",
                "serial_number": serial,
                "part_number": "3012170-10-B",
                "part_type": 2,
                "part_name": "Powerwall 2",
                "nameplate_max_charge_power": int(physics.POWERWALL_MAX_POWER_W),
                "nameplate_max_discharge_power": int(physics.POWERWALL_MAX_POWER_W),
                "nameplate_energy": per_battery_wh,
            }
        )
    return batteries


def site_info(site: EnergySite) -> dict[str, Any]:
    battery = site.has_powerwall
    components: dict[str, Any] = {
        "solar": site.has_solar,
        **({"solar_type": "pv_panel"} if site.has_solar else {}),
        "battery": battery,
        "grid": True,
        "backup": battery,
        "gateway": "teg",
        "load_meter": True,
        "tou_capable": battery,
        "storm_mode_capable": battery,
        "flex_energy_request_capable": False,
        "car_charging_data_supported": False,
        "off_grid_vehicle_charging_reserve_supported": battery,
        "vehicle_charging_performance_view_enabled": False,
        "vehicle_charging_solar_offset_view_enabled": False,
        "battery_solar_offset_view_enabled": battery and site.has_solar,
        "solar_value_enabled": site.has_solar,
        "energy_value_header": "Energy Value",
        "energy_value_subheader": "Estimated Value",
        "energy_service_self_scheduling_enabled": battery,
        "show_grid_import_battery_source_cards": battery,
        "set_islanding_mode_enabled": battery,
        "wifi_commissioning_enabled": True,
        "backup_time_remaining_enabled": battery,
        **({"battery_type": "ac_powerwall"} if battery else {}),
        "configurable": True,
        "grid_services_enabled": False,
        "gateways": [_gateway(site)],
        "batteries": _batteries(site),
        "wall_connectors": [],
        "disallow_charge_from_grid_with_solar_installed": site.disallow_charge_from_grid_with_solar_installed,
        "customer_preferred_export_rule": site.customer_preferred_export_rule,
        "net_meter_mode": "battery_ok",
        "system_alerts_enabled": True,
    }
    return {
        "id": site.id,
        "site_name": site.site_name,
        "backup_reserve_percent": site.backup_reserve_percent,
        "default_real_mode": site.operation_mode,
        "installation_date": site.installation_date,
        "user_settings": {
            "go_off_grid_test_banner_enabled": False,
            "storm_mode_enabled": site.storm_mode_enabled,
            "powerwall_onboarding_settings_set": True,
            "powerwall_tesla_electric_interested_in": False,
            "vpp_tour_enabled": False,
            "sync_grid_alert_enabled": True,
            "breaker_alert_enabled": False,
        },
        "components": components,
        "version": FIRMWARE_VERSION,
        "battery_count": site.battery_count if battery else 0,
        "tou_settings": {
            "optimization_strategy": "economics",
            "schedule": [
                {"target": "off_peak", "week_days": [1, 0], "start_seconds": 75_600, "end_seconds": 57_600},
                {"target": "peak", "week_days": [1, 0], "start_seconds": 57_600, "end_seconds": 75_600},
            ],
            **({"tariff_content_v2": site.tariff} if site.tariff is not None else {}),
        },
        "nameplate_power": int(physics.max_battery_power(site)),
        "nameplate_energy": round(site.total_pack_energy_wh) if battery else 0,
        "installation_time_zone": site.installation_time_zone,
        "off_grid_vehicle_charging_reserve_percent": site.off_grid_vehicle_charging_reserve_percent,
        "max_site_meter_power_ac": 1_000_000_000,
        "min_site_meter_power_ac": -1_000_000_000,
        "vpp_backup_reserve_percent": 0,
    }


def live_status(site: EnergySite, now: float) -> dict[str, Any]:
    flows = physics.flows_at(site, now, site.percentage_charged, site.is_islanded)
    return {
        "solar_power": round(flows.solar),
        "energy_left": site.energy_left_wh,
        "total_pack_energy": round(site.total_pack_energy_wh) if site.has_powerwall else 0,
        "percentage_charged": site.percentage_charged if site.has_powerwall else 0,
        "backup_capable": site.has_powerwall,
        "battery_power": round(flows.battery),
        "load_power": round(flows.load),
        "grid_status": site.grid_status,
        "grid_services_active": False,
        "grid_power": round(flows.grid),
        "grid_services_power": 0,
        "generator_power": 0,
        "island_status": "off_grid" if site.is_islanded else "on_grid",
        "storm_mode_active": site.storm_watch_active,
        "timestamp": _local_iso(now, physics.zone(site.installation_time_zone)),
        "wall_connectors": [],
    }


def _product_components(site: EnergySite) -> dict[str, Any]:
    return {
        "battery": site.has_powerwall,
        **({"battery_type": "ac_powerwall"} if site.has_powerwall else {}),
        "solar": site.has_solar,
        **({"solar_type": "pv_panel"} if site.has_solar else {}),
        "grid": True,
        "load_meter": True,
        "market_type": "residential",
        "wall_connectors": [],
    }


def energy_product(site: EnergySite, now: float) -> dict[str, Any]:
    """The site's entry in `GET /products`, shaped by what the site has (Powerwall, solar only, or nothing)."""
    if not site.has_powerwall and not site.has_solar:
        components = {"battery": False, "solar": False, "grid": False, "load_meter": False}
        return {"energy_site_id": site.energy_site_id, "components": {**components, "market_type": "residential"}}
    flows = physics.flows_at(site, now, site.percentage_charged, site.is_islanded)
    common = {
        "energy_site_id": site.energy_site_id,
        "site_name": site.site_name,
        "id": site.id,
        "asset_site_id": _digest(site, "asset")[:24].lower(),
        "warp_site_number": f"GA{site.energy_site_id % 10**6:06d}",
    }
    settings = {
        "storm_mode_enabled": site.storm_mode_enabled,
        "powerwall_onboarding_settings_set": True,
        "sync_grid_alert_enabled": True,
        "breaker_alert_enabled": True,
        "components": _product_components(site),
        "features": {"rate_plan_manager_no_pricing_constraint": True},
    }
    if not site.has_powerwall:
        return {
            **common,
            "resource_type": "solar",
            "solar_power": round(flows.solar),
            "solar_type": "pv_panel",
            **settings,
        }
    return {
        **common,
        "resource_type": "battery",
        "gateway_id": site.id,
        "energy_left": site.energy_left_wh,
        "total_pack_energy": round(site.total_pack_energy_wh),
        "percentage_charged": site.percentage_charged,
        "battery_type": "ac_powerwall",
        "backup_capable": True,
        "battery_power": round(flows.battery),
        "go_off_grid_test_banner_enabled": None,
        "powerwall_tesla_electric_interested_in": None,
        "vpp_tour_enabled": None,
        **settings,
    }


# -- histories -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    period: Period
    start: datetime | None
    end: datetime | None
    zone: tzinfo


def installed_at(site: EnergySite) -> float:
    try:
        return datetime.fromisoformat(site.installation_date).timestamp()
    except ValueError:
        return 0.0


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _bucket_start(moment: datetime, unit: str) -> datetime:
    day = moment.date()
    if unit == "month":
        day = day.replace(day=1)
    elif unit == "year":
        day = day.replace(month=1, day=1)
    return _midnight(day, moment.tzinfo or physics.zone(""))


def _next_bucket(start: datetime, unit: str) -> datetime:
    day = start.date()
    if unit == "day":
        day += timedelta(days=1)
    elif unit == "month":
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        day = day.replace(year=day.year + 1, month=1, day=1)
    return _midnight(day, start.tzinfo or physics.zone(""))


def window(site: EnergySite, query: HistoryQuery, now: float) -> tuple[datetime, datetime]:
    """The span asked for: explicit dates, or the calendar period that holds `end_date` (default now)."""
    end = (query.end or datetime.fromtimestamp(now, query.zone)).astimezone(query.zone)
    if query.start is not None:
        return query.start.astimezone(query.zone), end
    today = end.date()
    if query.period == "day":
        start = _midnight(today, query.zone)
    elif query.period == "week":
        start = _midnight(today - timedelta(days=6), query.zone)
    elif query.period == "month":
        start = _midnight(today.replace(day=1), query.zone)
    elif query.period == "year":
        start = _midnight(today.replace(month=1, day=1), query.zone)
    else:
        start = datetime.fromtimestamp(installed_at(site), query.zone)
    return start, end


_BUCKETS: dict[Period, str] = {"day": "day", "week": "day", "month": "day", "year": "month", "lifetime": "year"}


def _islanded_during(events: list[BackupEvent]) -> Callable[[float], bool]:
    def islanded(t: float) -> bool:
        return any(event.start <= t < event.end for event in events)

    return islanded


def _history_entry(stamp: datetime, totals: physics.EnergyTotals) -> dict[str, Any]:
    solar = round(totals.solar)
    return {
        "timestamp": stamp.isoformat(timespec="seconds"),
        "solar_energy_exported": solar,
        "generator_energy_exported": 0,
        "grid_energy_imported": round(totals.grid_import),
        "grid_services_energy_imported": 0,
        "grid_services_energy_exported": 0,
        "grid_energy_exported_from_solar": round(totals.solar_to_grid),
        "grid_energy_exported_from_generator": 0,
        "grid_energy_exported_from_battery": round(totals.battery_to_grid),
        "battery_energy_exported": round(totals.battery_discharge),
        "battery_energy_imported_from_grid": round(totals.grid_to_battery),
        "battery_energy_imported_from_solar": round(totals.solar_to_battery),
        "battery_energy_imported_from_generator": 0,
        "consumer_energy_imported_from_grid": round(totals.grid_to_home),
        "consumer_energy_imported_from_solar": round(totals.solar_to_home),
        "consumer_energy_imported_from_battery": round(totals.battery_to_home),
        "consumer_energy_imported_from_generator": 0,
        "total_home_usage": round(totals.home),
        "total_battery_charge": round(totals.battery_charge),
        "total_battery_discharge": round(totals.battery_discharge),
        "total_solar_generation": solar,
        "total_grid_energy_exported": round(totals.grid_export),
    }


def _replay(
    site: EnergySite, start: float, end: float, soc: float, islanded: Callable[[float], bool], slot: int
) -> tuple[float, physics.EnergyTotals]:
    """The site run from `start` to `end` with the settings it had at each moment (`EnergySite.stretches`)."""
    totals = physics.EnergyTotals()
    for piece_start, piece_end, as_set in site.stretches(start, end):
        soc, part = physics.integrate(as_set, piece_start, piece_end, soc, islanded, slot=slot)
        totals.merge(part)
    return soc, totals


def energy_history(site: EnergySite, query: HistoryQuery, now: float) -> dict[str, Any]:
    """Energy per day (per month for a year, per year for the lifetime), replayed from the site's physics."""
    start, end = window(site, query, now)
    first = max(start.timestamp(), installed_at(site))
    last = min(end.timestamp(), now)
    islanded = _islanded_during(site.backup_events(now))
    slot = HISTORY_SLOTS[query.period]
    soc = HISTORY_START_CHARGE
    if first < last:
        soc, _ = _replay(site, first - HISTORY_WARM_UP_SECONDS, first, soc, islanded, slot)
    unit = _BUCKETS[query.period]
    series = []
    bucket = _bucket_start(datetime.fromtimestamp(first, query.zone), unit)
    while bucket.timestamp() < last:
        following = _next_bucket(bucket, unit)
        span_start, span_end = max(bucket.timestamp(), first), min(following.timestamp(), last)
        soc, totals = _replay(site, span_start, span_end, soc, islanded, slot)
        series.append(_history_entry(bucket, totals))
        bucket = following
    return {
        "period": query.period,
        "installation_time_zone": site.installation_time_zone,
        "time_series": series,
    }


def backup_history(site: EnergySite, query: HistoryQuery, now: float) -> dict[str, Any]:
    """Outages that overlap the window, each with its start and its duration in seconds."""
    start, end = window(site, query, now)
    events = [
        event for event in site.backup_events(now) if event.end >= start.timestamp() and event.start <= end.timestamp()
    ]
    return {
        "events": [
            {"timestamp": _local_iso(event.start, query.zone), "duration": round(event.duration)} for event in events
        ],
        "total_events": len(events),
    }
