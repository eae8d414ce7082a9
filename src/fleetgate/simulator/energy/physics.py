"""Power flows of a simulated energy site: pure functions of its settings, its charge and the time.

Signs follow Tesla's live_status: battery power is positive when discharging, grid power positive when importing,
so `grid = load - solar - battery`. Solar follows the local time of day (zero at night, a sine arch peaking at
`solar_peak_w` at noon); the home load is `base_load_w` shaped by a fixed daily profile (low at night, a morning
bump, an evening peak). The battery (5 kW per Powerwall, charging or discharging) follows the operation mode:

- `self_consumption` covers load minus solar and stores surplus solar, never going below the backup reserve;
- `backup` keeps the battery full, charging from solar and from the grid (unless grid charging is disallowed on a
  solar site) and never discharging; an active storm watch does the same;
- `autonomous` discharges during the evening peak (16:00-21:00 local) down to the reserve, exporting what the
  home does not use if the export rule is `battery_ok`, and otherwise behaves like self-consumption;
- during a grid outage the site is an island: battery and solar cover the load down to an empty battery, surplus
  solar is curtailed once the battery is full, load that cannot be served is dropped, and the grid is 0.

An export rule of `never` curtails solar instead of exporting it. `integrate` works on fixed slots aligned to the
epoch, each taking its inputs at its midpoint, so the outcome over an interval does not depend on how often the
site is looked at.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from fleetgate.simulator.energy.site import EnergySite

SLOT_SECONDS = 300
POWERWALL_MAX_POWER_W = 5_000.0
SUNRISE_HOUR = 6.0
SUNSET_HOUR = 18.0
EVENING_PEAK = (16.0, 21.0)
_AT_LIMIT = 1e-6  # percent; closer than this to a limit counts as at it


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The site's time zone; an unknown or empty name (Tesla sends "" for some sites) falls back to UTC."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


@lru_cache(maxsize=65_536)
def _utc_offset(zone_name: str, hour_index: int) -> float:
    # Offsets only change on the hour, so one lookup per hour serves every slot in it (histories replay years).
    moment = datetime.fromtimestamp(hour_index * 3600, zone(zone_name))
    offset = moment.utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def local_hour(site: EnergySite, t: float) -> float:
    offset = _utc_offset(site.installation_time_zone, math.floor(t / 3600))
    return ((t + offset) % 86_400) / 3600.0


def solar_power(site: EnergySite, hour: float) -> float:
    if not site.has_solar or not SUNRISE_HOUR < hour < SUNSET_HOUR:
        return 0.0
    return site.solar_peak_w * math.sin(math.pi * (hour - SUNRISE_HOUR) / (SUNSET_HOUR - SUNRISE_HOUR))


def _bump(hour: float, centre: float, width: float) -> float:
    distance = min(abs(hour - centre), 24.0 - abs(hour - centre))
    return math.exp(-0.5 * (distance / width) ** 2)


def home_load(site: EnergySite, hour: float) -> float:
    """Averages about `base_load_w` over a day."""
    shape = 0.62 + 0.45 * _bump(hour, 7.5, 1.2) + 0.25 * _bump(hour, 13.0, 2.5) + 0.95 * _bump(hour, 19.0, 1.8)
    return site.base_load_w * shape


def max_battery_power(site: EnergySite) -> float:
    return POWERWALL_MAX_POWER_W * site.battery_count if site.has_powerwall else 0.0


def battery_request(
    site: EnergySite, hour: float, solar: float, load: float, islanded: bool
) -> tuple[float, float, float]:
    """What the battery wants to do: (power in W, lowest charge %, highest charge %) it may go between."""
    limit = max_battery_power(site)
    if limit <= 0:
        return 0.0, 0.0, 100.0
    deficit = load - solar
    if islanded:
        return max(-limit, min(deficit, limit)), 0.0, 100.0
    reserve = float(site.backup_reserve_percent)
    if site.operation_mode == "backup" or site.storm_watch_active:
        if site.disallow_charge_from_grid_with_solar_installed and site.has_solar:
            return -min(max(-deficit, 0.0), limit), reserve, 100.0
        return -limit, reserve, 100.0
    in_peak = EVENING_PEAK[0] <= hour < EVENING_PEAK[1]
    if site.operation_mode == "autonomous" and in_peak and site.customer_preferred_export_rule == "battery_ok":
        # Time-based control sells the battery in the peak when exports are allowed; otherwise it only covers
        # the home, as in self-consumption.
        return limit, reserve, 100.0
    return max(-limit, min(deficit, limit)), reserve, 100.0


@dataclass(frozen=True, slots=True)
class Flows:
    """Powers in W, or energies in Wh over a slot: the balance is the same."""

    solar: float
    load: float
    battery: float
    grid: float


def settle(site: EnergySite, solar: float, load: float, battery: float, islanded: bool) -> Flows:
    """Balances the site: the grid takes the rest, unless there is no grid or exports are not allowed."""
    grid = load - solar - battery
    if islanded:
        if grid > 0:
            load -= grid
        else:
            solar = max(0.0, solar + grid)
        grid = 0.0
    elif grid < 0 and site.customer_preferred_export_rule == "never":
        curtailed = min(-grid, solar)
        solar -= curtailed
        grid += curtailed
    return Flows(solar=solar, load=load, battery=battery, grid=grid)


def flows_at(site: EnergySite, t: float, soc: float, islanded: bool) -> Flows:
    """The site's powers at the instant `t` with the battery at `soc` percent."""
    hour = local_hour(site, t)
    solar, load = solar_power(site, hour), home_load(site, hour)
    power, lowest, highest = battery_request(site, hour, solar, load, islanded)
    if (power > 0 and soc <= lowest + _AT_LIMIT) or (power < 0 and soc >= highest - _AT_LIMIT):
        power = 0.0
    return settle(site, solar, load, power, islanded)


@dataclass(slots=True)
class EnergyTotals:
    """Where energy went over some time, in Wh, split the way Tesla's energy history splits it."""

    solar_to_home: float = 0.0
    solar_to_battery: float = 0.0
    solar_to_grid: float = 0.0
    battery_to_home: float = 0.0
    battery_to_grid: float = 0.0
    grid_to_home: float = 0.0
    grid_to_battery: float = 0.0

    def add(self, flows: Flows) -> None:
        solar_left = flows.solar
        to_home = min(flows.load, solar_left)
        self.solar_to_home += to_home
        solar_left -= to_home
        home_left = flows.load - to_home
        if flows.battery < 0:
            charge = -flows.battery
            from_solar = min(charge, solar_left)
            self.solar_to_battery += from_solar
            self.grid_to_battery += charge - from_solar
            solar_left -= from_solar
        elif flows.battery > 0:
            to_home = min(flows.battery, home_left)
            self.battery_to_home += to_home
            self.battery_to_grid += flows.battery - to_home
            home_left -= to_home
        self.grid_to_home += max(home_left, 0.0)
        self.solar_to_grid += max(solar_left, 0.0)

    def merge(self, other: EnergyTotals) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    @property
    def solar(self) -> float:
        return self.solar_to_home + self.solar_to_battery + self.solar_to_grid

    @property
    def home(self) -> float:
        return self.solar_to_home + self.battery_to_home + self.grid_to_home

    @property
    def battery_charge(self) -> float:
        return self.solar_to_battery + self.grid_to_battery

    @property
    def battery_discharge(self) -> float:
        return self.battery_to_home + self.battery_to_grid

    @property
    def grid_import(self) -> float:
        return self.grid_to_home + self.grid_to_battery

    @property
    def grid_export(self) -> float:
        return self.solar_to_grid + self.battery_to_grid


def integrate(
    site: EnergySite,
    start: float,
    end: float,
    soc: float,
    islanded_at: Callable[[float], bool],
    *,
    slot: int = SLOT_SECONDS,
) -> tuple[float, EnergyTotals]:
    """Runs the site from `start` to `end` with the battery at `soc` percent; returns the new charge and the totals."""
    totals = EnergyTotals()
    capacity = site.total_pack_energy_wh if site.has_powerwall else 0.0
    t = start
    while t < end:
        slot_start = math.floor(t / slot) * slot
        t_next = min(end, slot_start + slot)
        middle = slot_start + slot / 2
        hours = (t_next - t) / 3600.0
        hour = local_hour(site, middle)
        islanded = islanded_at(middle)
        solar, load = solar_power(site, hour), home_load(site, hour)
        power, lowest, highest = battery_request(site, hour, solar, load, islanded)
        battery = 0.0
        if capacity > 0 and power > 0:
            battery = min(power * hours, max(0.0, soc - lowest) / 100.0 * capacity)
        elif capacity > 0 and power < 0:
            battery = -min(-power * hours, max(0.0, highest - soc) / 100.0 * capacity)
        flows = settle(site, solar * hours, load * hours, battery, islanded)
        if capacity > 0:
            soc = min(100.0, max(0.0, soc - flows.battery / capacity * 100.0))
        totals.add(flows)
        t = t_next
    return soc, totals
