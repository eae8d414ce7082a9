"""A simulated vehicle: what it is, what it is doing, and how it changes as simulated time passes.

Sleep and wake: an online car with nothing keeping it awake (charging, climate, sentry, recent activity) falls
asleep after `sleep_after_seconds` of idleness. `wake_up` on a sleeping car sets a wake time
`wake_delay_seconds` ahead; it is online from then on. An `offline` car stays offline until the control API
changes it. Charging adds energy at the charger's power until the limit, then reports `Complete`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

VehicleState = Literal["online", "asleep", "offline"]
CommandSigning = Literal["required", "allowed", "off"]

ROLE_OWNER = 2
ROLE_DRIVER = 3
ROLE_FM = 4


@dataclass(slots=True)
class WhitelistEntry:
    public_key: bytes
    role: int
    added_at: float
    domain: str | None = None  # the developer domain whose approval put the key here, if any
    active: bool = True


@dataclass(slots=True)
class ExecutedCommand:
    at: float
    name: str
    params: dict[str, Any]
    via: Literal["rest", "signed"]
    result: bool
    reason: str
    client_id: str | None = None


@dataclass
class Vehicle:
    id: int
    vehicle_id: int
    vin: str
    account_id: str
    display_name: str
    model: str = "Model 3"
    color: str | None = None
    command_signing: CommandSigning = "required"
    firmware: str = "2025.20.6"
    state: VehicleState = "online"
    wake_at: float | None = None
    last_activity: float = 0.0
    updated_to: float = 0.0
    sleep_after_seconds: float = 900.0
    wake_delay_seconds: float = 10.0
    mobile_access_disabled: bool = False
    # charging
    battery_capacity_kwh: float = 75.0
    range_miles_at_full: float = 310.0
    battery_level: float = 62.0
    charge_limit_soc: int = 80
    plugged_in: bool = False
    charging_state: str = "Disconnected"
    charge_amps: int = 32
    charge_current_request_max: int = 48
    charger_voltage: int = 240
    charger_phases: int = 1
    charge_energy_added: float = 0.0
    charge_port_door_open: bool = False
    scheduled_charging_mode: str = "Off"
    scheduled_charging_start_time: int | None = None
    # climate
    is_climate_on: bool = False
    inside_temp: float = 19.5
    outside_temp: float = 12.0
    driver_temp_setting: float = 21.0
    passenger_temp_setting: float = 21.0
    # body
    locked: bool = True
    sentry_mode: bool = False
    front_trunk_open: bool = False
    rear_trunk_open: bool = False
    odometer: float = 12345.6
    latitude: float = 37.4925
    longitude: float = -121.9447
    heading: int = 90
    # the command protocol
    keys: list[WhitelistEntry] = field(default_factory=list)
    domains: dict[int, Any] = field(default_factory=dict)
    executed: list[ExecutedCommand] = field(default_factory=list)

    def charger_power_kw(self) -> float:
        if self.charging_state != "Charging":
            return 0.0
        return self.charge_amps * self.charger_voltage * self.charger_phases / 1000.0

    def is_awake_for_a_reason(self) -> bool:
        return self.charging_state == "Charging" or self.is_climate_on or self.sentry_mode

    def advance(self, now: float) -> None:
        """Brings the car up to simulated time `now`: wake-ups land, charging adds energy, idle cars sleep."""
        if now <= self.updated_to:
            return
        start = max(self.updated_to, 0.0)
        if self.state == "asleep" and self.wake_at is not None and self.wake_at <= now:
            self.state = "online"
            self.last_activity = self.wake_at
            self.wake_at = None
        if self.charging_state == "Charging" and start > 0:
            self._charge_for(now - start)
        if (
            self.state == "online"
            and not self.is_awake_for_a_reason()
            and now - self.last_activity >= self.sleep_after_seconds
        ):
            self.state = "asleep"
        self.updated_to = now

    def _charge_for(self, seconds: float) -> None:
        energy_kwh = self.charger_power_kw() * seconds / 3600.0
        room_kwh = (self.charge_limit_soc - self.battery_level) / 100.0 * self.battery_capacity_kwh
        if energy_kwh >= room_kwh:
            energy_kwh = max(room_kwh, 0.0)
            self.charging_state = "Complete"
        self.battery_level = min(100.0, self.battery_level + energy_kwh / self.battery_capacity_kwh * 100.0)
        self.charge_energy_added += energy_kwh

    def is_online(self, now: float) -> bool:
        self.advance(now)
        return self.state == "online"

    def touch(self, now: float) -> None:
        """Activity keeps the car awake for another idle period."""
        self.last_activity = now

    def request_wake(self, now: float) -> None:
        self.advance(now)
        if self.state == "asleep" and self.wake_at is None:
            self.wake_at = now + self.wake_delay_seconds

    def battery_range(self) -> float:
        return self.battery_level / 100.0 * self.range_miles_at_full

    def minutes_to_full_charge(self) -> int:
        power = self.charger_power_kw()
        if power <= 0:
            return 0
        remaining_kwh = max(self.charge_limit_soc - self.battery_level, 0.0) / 100.0 * self.battery_capacity_kwh
        return round(remaining_kwh / power * 60)

    def key_entry(self, public_key: bytes) -> WhitelistEntry | None:
        return next((k for k in self.keys if k.public_key == public_key), None)
