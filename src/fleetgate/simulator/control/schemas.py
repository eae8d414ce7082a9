from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Region = Literal["na", "eu", "cn"]
ALL_REGIONS: tuple[Region, ...] = ("na", "eu", "cn")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AppIn(Strict):
    name: str = Field(min_length=1)
    client_id: str | None = None
    client_secret: str | None = None
    redirect_uris: list[str] = Field(min_length=1)
    allowed_origins: list[str] = Field(default_factory=list)


class PartnerAccountIn(Strict):
    """Registers an app's domain and key directly, as if `partner_accounts` had been called in each region."""

    domain: str
    public_key: str
    regions: list[Region] = Field(default_factory=lambda: list(ALL_REGIONS))


class AccountIn(Strict):
    email: str = Field(min_length=3)
    region: Literal["na", "eu", "cn"] = "na"
    full_name: str | None = None


class EquipmentIn(Strict):
    """What the car is fitted with; anything left out keeps the model's usual (see `vehicles/equipment.py`)."""

    sunroof: bool | None = None
    seat_cooling: bool | None = None
    steering_wheel_heater: bool | None = None
    steering_wheel_heat_levels: bool | None = None
    rear_seat_heaters: bool | None = None
    third_row_seats: bool | None = None


class VehicleIn(Strict):
    vin: str | None = Field(default=None, min_length=17, max_length=17)
    model: Literal["Model 3", "Model Y", "Model S", "Model X", "Cybertruck"] = "Model 3"
    display_name: str | None = None
    command_signing: Literal["required", "allowed", "off"] = "required"
    state: Literal["online", "asleep", "offline"] = "online"
    battery_level: float | None = Field(default=None, ge=0, le=100)
    plugged_in: bool = False
    charging: bool = False
    charge_limit_soc: int | None = Field(default=None, ge=50, le=100)
    firmware: str | None = None
    equipment: EquipmentIn | None = None


class VehiclePatch(Strict):
    account_id: str | None = Field(default=None, description="Move the car to another account, as when it is sold")
    state: Literal["online", "asleep", "offline"] | None = None
    command_signing: Literal["required", "allowed", "off"] | None = None
    battery_level: float | None = Field(default=None, ge=0, le=100)
    plugged_in: bool | None = None
    charging_state: Literal["Disconnected", "Stopped", "Charging", "Complete", "NoPower"] | None = None
    charge_limit_soc: int | None = Field(default=None, ge=50, le=100)
    charge_amps: int | None = Field(default=None, ge=0, le=80)
    locked: bool | None = None
    sentry_mode: bool | None = None
    is_climate_on: bool | None = None
    inside_temp: float | None = None
    outside_temp: float | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    odometer: float | None = Field(default=None, ge=0)
    firmware: str | None = None
    mobile_access_disabled: bool | None = None
    sleep_after_seconds: float | None = Field(default=None, ge=0)
    wake_delay_seconds: float | None = Field(default=None, ge=0)
    equipment: EquipmentIn | None = None
    precondition_lead_seconds: float | None = Field(
        default=None, ge=60, le=7200, description="How long before a scheduled departure the cabin is conditioned"
    )
    reboot: bool = False


class Coordinates(Strict):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class DriveIn(Strict):
    """A destination, or a distance straight ahead on the car's heading; and a steady speed."""

    to: Coordinates | None = None
    distance_km: float | None = Field(default=None, gt=0, le=20_000)
    speed_kph: float = Field(default=50.0, ge=1, le=250)


class KeyIn(Strict):
    public_key: str
    role: Literal["owner", "driver", "fleet_manager", "vehicle_monitor", "charging_manager", "guest"] | int = "owner"


class KeyPatch(Strict):
    public_key: str
    active: bool | None = None
    role: Literal["owner", "driver", "fleet_manager", "vehicle_monitor", "charging_manager", "guest"] | int | None = (
        None
    )


class EnergySiteIn(Strict):
    site_name: str | None = None
    battery: bool = True
    solar: bool = True
    battery_count: int = Field(default=1, ge=1, le=10)
    percentage_charged: float | None = Field(default=None, ge=0, le=100)


class EnergySitePatch(Strict):
    percentage_charged: float | None = Field(default=None, ge=0, le=100)
    grid_status: Literal["Active", "Inactive"] | None = None
    storm_mode_active: bool | None = None
    base_load_w: float | None = Field(default=None, ge=0)
    solar_peak_w: float | None = Field(default=None, ge=0)


class TokensIn(Strict):
    client_id: str
    account_id: str
    scopes: list[str] | str


class FaultIn(Strict):
    path: str | None = None
    vin: str | None = None
    status: int | None = Field(default=None, ge=100, le=599)
    count: int | None = Field(default=None, ge=1)
    latency_ms: int = Field(default=0, ge=0, le=120_000)
    body: Any = None
    headers: dict[str, str] = Field(default_factory=dict)
    lose_answer: bool = False


class ClockIn(Strict):
    advance_seconds: float = Field(ge=0)
