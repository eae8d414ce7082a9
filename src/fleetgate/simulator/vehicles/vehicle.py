"""A simulated vehicle: what it is, what it is doing, and how it changes as simulated time passes.

Sleep and wake: an online car with nothing keeping it awake (charging, climate, sentry) falls asleep
`sleep_after_seconds` after its last activity; a command, a `vehicle_data` read, a wake-up, or the end of a charge
counts as activity. `wake_up` on a sleeping car sets a wake time `wake_delay_seconds` ahead; it is online from then
on. An `offline` car stays offline until the control API changes it (its battery still charges: that is physics,
not connectivity).

Charging adds energy at the charger's power (`charge_amps × charger_voltage × charger_phases`) until the limit,
then reports `Complete`. Unplugging makes the car `Disconnected` at once. With scheduled charging (`StartAt`) a
plugged-in car starts charging at the scheduled minute of the day, in UTC (the car's local time here), waking up
for it if it was asleep; charge and precondition schedules run the same way (`schedule_runs.py`). The cabin moves
toward the driver's setting while climate is on, and slowly toward the outside temperature otherwise.

Driving (`start_drive`, `park`) moves the car along its drive's great circle (`driving.py`): position, heading and
odometer follow, the battery drains at the model's Wh/km, and the car is in D and awake until it arrives and parks.
A plugged-in car cannot drive, nor a car whose battery would run out on the way; a car plugged in through the
control API while driving has stopped where it was. A car that drives is online, even one that was offline.

`advance` is lazy: it steps from the last time it ran to `now`, stopping at every event in between (a wake-up
landing, a charge completing, a scheduled start, an arrival, falling asleep), so a long jump of the clock gives the
same state as many small ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from fleetgate.simulator.vehicles import schedule_runs
from fleetgate.simulator.vehicles.charging_history import ChargingLog
from fleetgate.simulator.vehicles.driving import KM_PER_MILE, Drive, DriveRefused
from fleetgate.simulator.vehicles.equipment import Equipment
from fleetgate.simulator.vehicles.schedule_runs import ScheduleEvent
from fleetgate.simulator.vehicles.schedules import ChargeSchedule, PreconditionSchedule

OnlineState = Literal["online", "asleep", "offline"]
CommandSigning = Literal["required", "allowed", "off"]

ROLE_OWNER = 2
ROLE_DRIVER = 3
ROLE_FM = 4

CHARGE_LIMIT_MIN = 50
CHARGE_LIMIT_MAX = 100
CHARGE_LIMIT_STANDARD = 80
MIN_AVAILABLE_TEMP = 15.0
MAX_AVAILABLE_TEMP = 28.0
REMOTE_START_WINDOW_SECONDS = 120.0
# How fast the cabin follows its target: minutes with the HVAC running, hours when only the weather acts on it.
CLIMATE_TIME_CONSTANT_SECONDS = 300.0
PASSIVE_TIME_CONSTANT_SECONDS = 7200.0
SECONDS_PER_DAY = 86400.0
CLIMATE_KEEPER_MODES = ("off", "keep", "dog", "camp")

Event = Literal["wake", "charge_complete", "scheduled_start", "sleep", "arrive"] | ScheduleEvent


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
    equipment: Equipment = field(default_factory=Equipment)
    color: str | None = None
    command_signing: CommandSigning = "required"
    firmware: str = "2025.20.6"
    online_state: OnlineState = "online"
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
    # Minutes after midnight (car local time = UTC) of the `StartAt` schedule; `vehicle_data` shows it as the
    # epoch second of the next start under the same name, and as minutes in `scheduled_charging_start_time_app`.
    scheduled_charging_start_time: int | None = None
    max_range_charge_counter: int = 0
    charge_schedules: list[ChargeSchedule] = field(default_factory=list)
    precondition_schedules: list[PreconditionSchedule] = field(default_factory=list)
    precondition_lead_seconds: float = 1800.0
    prepared_departure: float | None = None  # the departure whose preconditioning has started, not to start twice
    preconditioning_until: float | None = None  # when climate a schedule turned on goes off again
    # the older departure planner (`set_scheduled_departure`), minutes after midnight
    scheduled_departure_enabled: bool = False
    scheduled_departure_minutes: int = 480
    preconditioning_enabled: bool = False
    preconditioning_weekdays_only: bool = False
    off_peak_charging_enabled: bool = False
    off_peak_charging_weekdays_only: bool = False
    off_peak_hours_end_time: int = 360
    # climate
    is_climate_on: bool = False
    inside_temp: float = 19.5
    outside_temp: float = 12.0
    driver_temp_setting: float = 21.0
    passenger_temp_setting: float = 21.0
    climate_keeper_mode: str = "off"
    seat_heaters: dict[int, int] = field(default_factory=dict)  # Tesla's seat position number -> level 0-3
    seat_coolers: dict[int, int] = field(default_factory=dict)  # 1 front left, 2 front right -> level 0-3
    steering_wheel_heater: bool = False
    steering_wheel_heat_level: int = 0
    cabin_overheat_protection: str = "On"
    cop_activation_temperature: str = "High"
    bioweapon_mode: bool = False
    max_defrost: bool = False
    # body
    locked: bool = True
    sentry_mode: bool = False
    front_trunk_open: bool = False
    rear_trunk_open: bool = False
    windows_vented: bool = False
    sun_roof_state: str = "closed"
    odometer: float = 12345.6
    latitude: float = 37.4925
    longitude: float = -121.9447
    heading: int = 90
    drive: Drive | None = None
    remote_start_until: float | None = None
    valet_mode: bool = False
    valet_pin: str | None = None
    speed_limit_active: bool = False
    speed_limit_mph: float = 65.0
    speed_limit_pin: str | None = None
    pin_to_drive: bool = False
    guest_mode: bool = False
    # infotainment
    media_playing: bool = False
    audio_volume: float = 3.0
    navigation_destination: str | None = None
    software_update_scheduled_at: float | None = None
    # the command protocol
    keys: list[WhitelistEntry] = field(default_factory=list)
    domains: dict[int, Any] = field(default_factory=dict)
    executed: list[ExecutedCommand] = field(default_factory=list)
    charging_log: ChargingLog = field(default_factory=ChargingLog)

    def charger_power_kw(self) -> float:
        if self.charging_state != "Charging":
            return 0.0
        return self.charge_amps * self.charger_voltage * self.charger_phases / 1000.0

    def is_awake_for_a_reason(self) -> bool:
        return self.charging_state == "Charging" or self.is_climate_on or self.sentry_mode or self.drive is not None

    def start_drive(self, drive: Drive, now: float) -> None:
        """Sets off on `drive` (from wherever a drive under way has got to), waking the car if it sleeps."""
        self.advance(now)
        if self.plugged_in:
            raise DriveRefused("the vehicle is plugged in: unplug it before driving")
        if drive.energy_kwh > self.battery_level / 100.0 * self.battery_capacity_kwh:
            raise DriveRefused(
                f"the battery ({self.battery_level:.1f}%) cannot take the car {drive.distance_km:.1f} km"
            )
        self.drive = drive
        if self.online_state != "online":  # driving, it wakes and finds a network
            self.online_state = "online"
            self.wake_at = None
        self.touch(now)

    def park(self, now: float) -> None:
        self.advance(now)
        self.drive = None
        self.touch(now)

    def advance(self, now: float) -> None:
        """Brings the car up to simulated time `now`: wake-ups land, charging adds energy, idle cars sleep."""
        self._settle()
        if self.updated_to <= 0:
            self.updated_to = now  # a car built without a start time has no past to simulate
            return
        self.charging_log.observe(self, self.updated_to)  # what changed it since happened there
        if now <= self.updated_to:
            return
        moment = self.updated_to
        while moment < now:
            events = self._upcoming_events(moment)
            until = min([now, *events.values()])
            self._run_for(until - moment)
            moment = until
            for event, at in events.items():
                if at <= moment:
                    self._on_event(event, moment)
            self.charging_log.observe(self, moment)
        self.updated_to = now

    def _settle(self) -> None:
        """Keeps the plug, the port door, the charging state and driving consistent, whatever changed them."""
        if not self.plugged_in:
            self.charging_state = "Disconnected"
            return
        self.charge_port_door_open = True  # a cable is in it
        self.drive = None
        if self.charging_state == "Disconnected":
            self.charging_state = "Stopped"
            self.charge_energy_added = 0.0  # a new plug-in is a new charging session
            schedule_runs.charge_if_in_window(self, self.updated_to)

    def _upcoming_events(self, moment: float) -> dict[Event, float]:
        events: dict[Event, float] = {}
        if self.online_state == "asleep" and self.wake_at is not None:
            events["wake"] = max(self.wake_at, moment)
        power = self.charger_power_kw()
        if power > 0:
            events["charge_complete"] = moment + max(self.room_to_limit_kwh(), 0.0) / power * 3600.0
        start = self.next_scheduled_start(moment)
        if start is not None and self.plugged_in and self.charging_state != "Charging":
            events["scheduled_start"] = start
        if self.drive is not None:
            events["arrive"] = moment + self.drive.remaining_seconds()
        for name, at in schedule_runs.upcoming(self, moment).items():
            events[name] = at
        if self.online_state == "online" and not self.is_awake_for_a_reason():
            events["sleep"] = max(self._idle_until(), moment)
        return events

    def _run_for(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if self.charging_state == "Charging":
            self._charge_for(seconds)
        if self.drive is not None:
            self._drive_for(self.drive, seconds)
        if self.is_climate_on:
            target, time_constant = self.driver_temp_setting, CLIMATE_TIME_CONSTANT_SECONDS
        else:
            target, time_constant = self.outside_temp, PASSIVE_TIME_CONSTANT_SECONDS
        self.inside_temp = target + (self.inside_temp - target) * math.exp(-seconds / time_constant)

    def _on_event(self, event: Event, moment: float) -> None:
        if event == "wake":
            self.online_state = "online"
            self.wake_at = None
            self.touch(moment)
        elif event == "charge_complete":
            self.battery_level = max(self.battery_level, float(self.charge_limit_soc))
            self.charging_state = "Complete"
            self.touch(moment)
        elif event == "scheduled_start":
            if self.charging_state in ("Stopped", "Complete") and self.room_to_limit_kwh() > 0:
                self.charging_state = "Charging"
                if self.online_state == "asleep":
                    self.online_state = "online"
                    self.wake_at = None
                self.touch(moment)
        elif event == "arrive" and self.drive is not None:
            self._drive_for(self.drive, self.drive.remaining_seconds())  # what rounding left of the way
            self.drive = None
            self.touch(moment)
        elif schedule_runs.is_schedule_event(event):
            schedule_runs.run(self, event, moment)
        elif event == "sleep" and self._idle_until() <= moment and not self.is_awake_for_a_reason():
            # Re-checked: another event at the same moment (a scheduled start) may have given it a reason.
            self.online_state = "asleep"

    def _idle_until(self) -> float:
        return self.last_activity + self.sleep_after_seconds

    def _charge_for(self, seconds: float) -> None:
        energy_kwh = self.charger_power_kw() * seconds / 3600.0
        room_kwh = self.room_to_limit_kwh()
        if energy_kwh >= room_kwh:
            energy_kwh = max(room_kwh, 0.0)
            self.charging_state = "Complete"
        self.battery_level = min(100.0, self.battery_level + energy_kwh / self.battery_capacity_kwh * 100.0)
        self.charge_energy_added += energy_kwh

    def _drive_for(self, drive: Drive, seconds: float) -> None:
        km = drive.drive_for(seconds)
        here = drive.position()
        self.latitude, self.longitude = here.latitude, here.longitude
        self.heading = round(drive.heading()) % 360
        self.odometer += km / KM_PER_MILE
        self.battery_level = max(
            0.0, self.battery_level - km * drive.wh_per_km / 1000.0 / self.battery_capacity_kwh * 100
        )

    def room_to_limit_kwh(self) -> float:
        return (self.charge_limit_soc - self.battery_level) / 100.0 * self.battery_capacity_kwh

    def next_scheduled_start(self, after: float) -> float | None:
        """The first scheduled start strictly after `after`, if scheduled charging is on."""
        if self.scheduled_charging_mode != "StartAt" or self.scheduled_charging_start_time is None:
            return None
        midnight = math.floor(after / SECONDS_PER_DAY) * SECONDS_PER_DAY
        start = midnight + self.scheduled_charging_start_time * 60.0
        return start if start > after else start + SECONDS_PER_DAY

    def scheduled_charging_pending(self) -> bool:
        return (
            self.scheduled_charging_mode == "StartAt"
            and self.plugged_in
            and self.charging_state != "Charging"
            and self.room_to_limit_kwh() > 0
        )

    def is_online(self, now: float) -> bool:
        self.advance(now)
        return self.online_state == "online"

    def touch(self, now: float) -> None:
        """Activity keeps the car awake for another idle period."""
        self.last_activity = max(self.last_activity, now)

    def request_wake(self, now: float) -> None:
        self.advance(now)
        if self.online_state == "asleep" and self.wake_at is None:
            self.wake_at = now + self.wake_delay_seconds

    def battery_range(self) -> float:
        return self.battery_level / 100.0 * self.range_miles_at_full

    def miles_added(self) -> float:
        return self.charge_energy_added / self.battery_capacity_kwh * self.range_miles_at_full

    def minutes_to_full_charge(self) -> int:
        power = self.charger_power_kw()
        if power <= 0:
            return 0
        remaining_kwh = max(self.charge_limit_soc - self.battery_level, 0.0) / 100.0 * self.battery_capacity_kwh
        return round(remaining_kwh / power * 60)

    def remote_start_active(self, now: float) -> bool:
        return self.remote_start_until is not None and now < self.remote_start_until

    def key_entry(self, public_key: bytes) -> WhitelistEntry | None:
        return next((k for k in self.keys if k.public_key == public_key), None)
