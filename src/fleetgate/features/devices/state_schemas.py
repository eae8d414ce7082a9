"""A device's normalised state as the API shows it: units in the field names, null for what Tesla did not say.

Tesla reports distances in miles whatever the car's display settings, temperatures in °C, vehicle charging power
in kW, and energy-site power in W and energy in Wh; the names below say which, and kilometres sit beside miles.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from fleetgate.tesla.wake import OnlineState

ChargingState = Literal["disconnected", "stopped", "charging", "complete", "no_power", "starting", "unknown"]
GridStatus = Literal["connected", "islanded", "unknown"]
Source = Literal["cache", "live", "telemetry"]


class Location(BaseModel):
    latitude: float = Field(description="Degrees north (WGS 84)")
    longitude: float = Field(description="Degrees east (WGS 84)")
    heading_deg: float | None = Field(description="Direction the car faces, degrees clockwise from north")


class ScheduledCharging(BaseModel):
    enabled: bool | None = Field(description="Whether the car waits for a set start time before charging")
    start_minute: int | None = Field(
        description="When it starts, in minutes after midnight in the car's local time (null when not enabled)"
    )


Weekday = Literal["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


class SchedulePlace(BaseModel):
    latitude: float = Field(description="Degrees north (WGS 84)")
    longitude: float = Field(description="Degrees east (WGS 84)")


_PLACE = "Where the schedule applies (the car acts on it only there); present only with the `read_location` capability"


class ChargeSchedule(BaseModel):
    id: int = Field(description="The car's id of the schedule (what `remove_charge_schedule` takes)")
    name: str | None = Field(description="The owner's name for it")
    days: list[Weekday] = Field(description="The days it runs on")
    enabled: bool
    start_minute: int | None = Field(
        description="When charging starts, minutes after midnight in the car's local time; null: no start time"
    )
    end_minute: int | None = Field(description="When charging stops, minutes after midnight; null: no end time")
    one_time: bool = Field(description="Whether it runs once, then is turned off")
    place: SchedulePlace | None = Field(default=None, description=_PLACE)


class PreconditionSchedule(BaseModel):
    id: int = Field(description="The car's id of the schedule (what `remove_precondition_schedule` takes)")
    name: str | None = Field(description="The owner's name for it")
    days: list[Weekday] = Field(description="The days it runs on")
    enabled: bool
    departure_minute: int = Field(
        description="The departure the cabin is ready for, minutes after midnight in the car's local time"
    )
    one_time: bool = Field(description="Whether it runs once, then is turned off")
    place: SchedulePlace | None = Field(default=None, description=_PLACE)


class VehicleData(BaseModel):
    """A vehicle's state from Tesla's `vehicle_data`."""

    online_state: OnlineState | None = Field(description="online, asleep or offline, as Tesla said when read")
    battery_level_pct: float | None = Field(description="State of charge, percent")
    battery_range_km: float | None = Field(description="Estimated range at the current charge, km")
    battery_range_mi: float | None = Field(description="The same range in miles, as Tesla reports it")
    charging_state: ChargingState | None = Field(
        description="Tesla's charging state; `unknown` for a value this version does not know"
    )
    charge_limit_pct: int | None = Field(description="Charge limit, percent")
    charge_power_kw: float | None = Field(description="Charging power, kW")
    charge_current_a: float | None = Field(description="Charging current drawn, A")
    charge_voltage_v: float | None = Field(description="Charger voltage, V")
    plugged_in: bool | None = Field(description="Whether a charge cable is connected")
    minutes_to_full_charge: int | None = Field(description="Minutes until the charge limit is reached")
    charge_port_open: bool | None = Field(description="Whether the charge port door is open")
    scheduled_charging: ScheduledCharging | None = Field(description="Scheduled charging (Tesla's `StartAt` mode)")
    charge_schedules: list[ChargeSchedule] | None = Field(
        default=None, description="The car's charge schedules (`add_charge_schedule`); null when Tesla sent none"
    )
    precondition_schedules: list[PreconditionSchedule] | None = Field(
        default=None,
        description="The car's precondition schedules (`add_precondition_schedule`); null when Tesla sent none",
    )
    locked: bool | None = Field(description="Whether the doors are locked")
    sentry_mode: bool | None = Field(description="Whether Sentry Mode is on")
    climate_on: bool | None = Field(description="Whether the climate system is running")
    inside_temp_c: float | None = Field(description="Cabin temperature, °C")
    outside_temp_c: float | None = Field(description="Outside temperature, °C")
    driver_temp_setting_c: float | None = Field(description="Driver's climate setting, °C")
    odometer_km: float | None = Field(description="Odometer, km")
    odometer_mi: float | None = Field(description="Odometer in miles, as Tesla reports it")
    software_version: str | None = Field(description="The car's firmware version, e.g. 2025.20.6")
    location: Location | None = Field(
        default=None,
        description=(
            "Where the car is. Present only when the connection has the `read_location` capability (Tesla's "
            "`vehicle_location` scope): without it fleetgate never asks Tesla for the location and never stores it, "
            "and this field is left out"
        ),
    )


class EnergySiteData(BaseModel):
    """An energy site's state from Tesla's `live_status` and `site_info`. Power in W, energy in Wh."""

    battery_level_pct: float | None = Field(description="Powerwall state of charge, percent (null without one)")
    battery_energy_wh: float | None = Field(description="Energy stored in the Powerwalls, Wh")
    battery_capacity_wh: float | None = Field(description="Usable capacity of the Powerwalls, Wh")
    solar_power_w: float | None = Field(description="Solar production, W")
    battery_power_w: float | None = Field(
        description="Powerwall power, W: positive while discharging, negative while charging (Tesla's sign)"
    )
    grid_power_w: float | None = Field(description="Grid power, W: positive while importing, negative while exporting")
    load_power_w: float | None = Field(description="Home consumption, W")
    grid_status: GridStatus | None = Field(description="connected to the grid, or islanded (off-grid, on backup)")
    backup_reserve_pct: float | None = Field(description="Charge kept for outages, percent")
    operation_mode: str | None = Field(description="Tesla's mode: self_consumption, autonomous or backup")
    storm_mode_enabled: bool | None = Field(description="Whether Storm Watch may charge the Powerwalls ahead of storms")
    storm_mode_active: bool | None = Field(description="Whether Storm Watch is acting now")


RAW_DESCRIPTION = (
    "Tesla's answers as received, by endpoint: `vehicle_data` for vehicles; `live_status`, `site_info` and "
    "`site_info_fetched_at` for energy sites (site_info changes rarely: it is re-read every few minutes, and after a "
    "command to the site succeeds). Only with `?raw=true`; location fields are removed unless the connection may read "
    "the location"
)


class DeviceStateBase(BaseModel):
    device_id: str
    fetched_at: datetime = Field(description="When fleetgate received this state from Tesla")
    age_seconds: float = Field(description="Seconds since `fetched_at`")
    source: Source = Field(
        description="`cache`: stored state younger than `max_age`; `live`: read from Tesla now; `telemetry`: stored "
        "state whose newest fields the car streamed (Fleet Telemetry), served without a call to Tesla while the car's "
        "stream is open or when younger than `max_age`"
    )
    online_state: OnlineState | None = Field(description="A vehicle's connectivity when read; null for energy sites")
    raw: dict[str, Any] | None = Field(default=None, description=RAW_DESCRIPTION)
    field_times: dict[str, datetime] = Field(
        default_factory=dict,
        description="When the car measured each field it streamed (Fleet Telemetry) since the last read from Tesla, "
        "by its name in `data` (`location.heading_deg` for a member); the fields not listed are as of that read",
    )


class VehicleStateOut(DeviceStateBase):
    type: Literal["vehicle"] = "vehicle"
    data: VehicleData


class EnergySiteStateOut(DeviceStateBase):
    type: Literal["energy_site"] = "energy_site"
    data: EnergySiteData


DeviceStateOut = Annotated[VehicleStateOut | EnergySiteStateOut, Field(discriminator="type")]


# -- error bodies, for the OpenAPI schema (the one error handler renders them; the usual one is `infra.openapi`'s) ----


class AsleepRemedy(BaseModel):
    retry_with: str = Field(description="`wake=true`: the same request, allowed to wake the car")
    note: str = Field(description="What waking costs")


class VehicleAsleepDetail(BaseModel):
    code: str = Field(
        description="`vehicle_asleep` (409), or `wake_timeout` (504) after a wake-up that did not succeed"
    )
    message: str
    online_state: OnlineState = Field(description="What Tesla said of the car")
    last_known_state: VehicleData | None = Field(description="The last state fleetgate read, or null if none")
    last_known_at: datetime | None = Field(description="When that state was read")
    age_seconds: float | None = Field(description="Seconds since `last_known_at`")
    woken: bool = Field(description="Whether fleetgate asked Tesla to wake the car for this request")
    remedy: AsleepRemedy | dict[str, Any] = Field(
        description="`vehicle_asleep`: retry with `wake=true`; `wake_timeout`: a note on what to do"
    )
    request_id: str


class VehicleAsleepBody(BaseModel):
    error: VehicleAsleepDetail
