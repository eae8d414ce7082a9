"""A simulated energy site (Powerwall with optional solar).

Power flows are derived from the site's settings and simulated time (`physics.py`); `advance` applies them lazily,
integrating the battery's charge from `updated_to` up to the time asked for. Settings changed between two
`advance` calls count from the earlier one, so change them right after advancing.

Grid outages are set from outside (the control API's `grid_status`); the site notices them when it next advances
and keeps them as backup events, which `calendar_history?kind=backup` reports.

Settings are noticed the same way: a change to one the physics read (`PHYSICS_SETTINGS`) starts a new stretch in
`settings_log`, so that the energy history replays the past with the settings of the time (`stretches`) and a day
that has ended reads the same whatever is changed later. Before the first stretch the first one's settings held.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any, Literal

from fleetgate.simulator.energy import physics

OperationMode = Literal["self_consumption", "autonomous", "backup"]
ExportRule = Literal["battery_ok", "pv_only", "never"]
OPERATION_MODES: tuple[OperationMode, ...] = ("self_consumption", "autonomous", "backup")
EXPORT_RULES: tuple[ExportRule, ...] = ("battery_ok", "pv_only", "never")


@dataclass(slots=True)
class BackupEvent:
    """A grid outage the site rode through; times are epoch seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


# What `physics` reads of a site besides the time, its charge and the grid.
PHYSICS_SETTINGS = (
    "has_battery",
    "has_solar",
    "battery_count",
    "total_pack_energy_wh",
    "backup_reserve_percent",
    "operation_mode",
    "storm_mode_enabled",
    "storm_mode_active",
    "disallow_charge_from_grid_with_solar_installed",
    "customer_preferred_export_rule",
    "solar_peak_w",
    "base_load_w",
)


@dataclass(slots=True)
class SettingsStretch:
    """From `since` (epoch seconds) until the next stretch, the site ran with these `PHYSICS_SETTINGS`."""

    since: float
    settings: dict[str, Any]


@dataclass
class EnergySite:
    energy_site_id: int
    id: str  # Tesla's string id of the site's gateway record
    account_id: str
    site_name: str
    has_battery: bool = True
    has_solar: bool = True
    battery_count: int = 1
    total_pack_energy_wh: float = 13_500.0
    percentage_charged: float = 70.0
    backup_reserve_percent: int = 20
    operation_mode: OperationMode = "self_consumption"
    storm_mode_enabled: bool = False
    storm_mode_active: bool = False
    grid_status: Literal["Active", "Inactive"] = "Active"
    disallow_charge_from_grid_with_solar_installed: bool = False
    customer_preferred_export_rule: ExportRule = "pv_only"
    off_grid_vehicle_charging_reserve_percent: int = 0
    solar_peak_w: float = 7_000.0
    base_load_w: float = 1_200.0
    installation_time_zone: str = "America/Los_Angeles"
    installation_date: str = "2023-05-04T10:00:00-07:00"
    updated_to: float = 0.0
    outage_started_at: float | None = None
    outages: list[BackupEvent] = field(default_factory=list)
    settings_log: list[SettingsStretch] = field(default_factory=list)
    # The utility tariff (`time_of_use_settings`'s tariff_content_v2), when one was set.
    tariff: dict[str, Any] | None = None

    @property
    def is_islanded(self) -> bool:
        return self.grid_status == "Inactive"

    @property
    def storm_watch_active(self) -> bool:
        return self.storm_mode_enabled and self.storm_mode_active

    @property
    def has_powerwall(self) -> bool:
        return self.has_battery and self.battery_count > 0 and self.total_pack_energy_wh > 0

    @property
    def energy_left_wh(self) -> float:
        return self.percentage_charged / 100.0 * self.total_pack_energy_wh if self.has_powerwall else 0.0

    def advance(self, now: float) -> None:
        """Brings the site up to simulated time `now`: outages start or end, the battery charges or drains."""
        if self.updated_to <= 0:
            self.updated_to = now
        self._track_outage()
        self._track_settings()
        if now <= self.updated_to:
            return
        if self.has_powerwall:
            islanded = self.is_islanded
            self.percentage_charged, _ = physics.integrate(
                self, self.updated_to, now, self.percentage_charged, lambda _t: islanded
            )
        self.updated_to = now

    def _track_outage(self) -> None:
        # The change happened somewhere since `updated_to`; the integration treats the whole stretch with the
        # new status, so the event's edge is put there too.
        if self.is_islanded and self.outage_started_at is None:
            self.outage_started_at = self.updated_to
        elif not self.is_islanded and self.outage_started_at is not None:
            self.outages.append(BackupEvent(start=self.outage_started_at, end=self.updated_to))
            self.outage_started_at = None

    def _track_settings(self) -> None:
        # As with outages, a change since `updated_to` counts from there: the live integration ran with it since.
        current = {name: getattr(self, name) for name in PHYSICS_SETTINGS}
        if not self.settings_log or self.settings_log[-1].settings != current:
            self.settings_log.append(SettingsStretch(since=self.updated_to, settings=current))

    def stretches(self, start: float, end: float) -> list[tuple[float, float, EnergySite]]:
        """[start, end) cut where the settings changed, each piece with the site as it was set then."""
        if len(self.settings_log) <= 1:
            return [(start, end, self)]
        edges = [start, *(s.since for s in self.settings_log[1:] if start < s.since < end), end]
        return [(a, b, self._as_set_at(a)) for a, b in pairwise(edges)]

    def _as_set_at(self, t: float) -> EnergySite:
        held = self.settings_log[0]
        for stretch in self.settings_log:
            if stretch.since > t:
                break
            held = stretch
        return replace(self, **held.settings)

    def backup_events(self, now: float) -> list[BackupEvent]:
        """Past outages and the one going on, if any (it lasts until `now` so far)."""
        events = list(self.outages)
        if self.outage_started_at is not None:
            events.append(BackupEvent(start=self.outage_started_at, end=max(now, self.outage_started_at)))
        return events
