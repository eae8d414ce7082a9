"""A simulated energy site (Powerwall with optional solar).

Power flows are derived from the site's settings and simulated time; see `advance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OperationMode = Literal["self_consumption", "autonomous", "backup"]


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
    customer_preferred_export_rule: Literal["battery_ok", "pv_only", "never"] = "pv_only"
    off_grid_vehicle_charging_reserve_percent: int = 0
    solar_peak_w: float = 7_000.0
    base_load_w: float = 1_200.0
    installation_time_zone: str = "America/Los_Angeles"
    installation_date: str = "2023-05-04T10:00:00-07:00"
    updated_to: float = 0.0
