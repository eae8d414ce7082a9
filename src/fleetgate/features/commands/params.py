"""The parameters each command takes, as pydantic models: checked before a command is queued, published as JSON
Schema in the catalogue. Names and units are the Fleet API's REST ones."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChargeLimit(NoParams):
    percent: int = Field(ge=50, le=100, description="Charge limit, in percent of the battery")


class ChargingAmps(NoParams):
    charging_amps: int = Field(ge=1, le=80, description="AC charging current, in amperes (the car caps it)")


class Temperatures(NoParams):
    driver_temp: float = Field(ge=15, le=28, description="Driver side, °C")
    passenger_temp: float = Field(ge=15, le=28, description="Passenger side, °C")


class SentryMode(NoParams):
    on: bool


class Trunk(NoParams):
    which_trunk: Literal["front", "rear"]


class ScheduledCharging(NoParams):
    enable: bool
    time: int | None = Field(
        default=None, ge=0, le=1439, description="Start, in minutes after local midnight; required with enable"
    )

    @model_validator(mode="after")
    def _time_when_enabled(self) -> ScheduledCharging:
        if self.enable and self.time is None:
            raise ValueError("time is required when enable is true")
        return self


class Percent(NoParams):
    percent: int = Field(ge=0, le=100)


class OperationMode(NoParams):
    mode: Literal["self_consumption", "autonomous", "backup"]


class StormMode(NoParams):
    enabled: bool


class GridImportExport(NoParams):
    customer_preferred_export_rule: Literal["battery_ok", "pv_only", "never"] | None = None
    disallow_charge_from_grid_with_solar_installed: bool | None = None

    @model_validator(mode="after")
    def _something_to_set(self) -> GridImportExport:
        if self.customer_preferred_export_rule is None and self.disallow_charge_from_grid_with_solar_installed is None:
            raise ValueError(
                "give customer_preferred_export_rule, disallow_charge_from_grid_with_solar_installed or both"
            )
        return self
