"""The parameters each command takes, as pydantic models: checked before a command is queued, published as JSON
Schema in the catalogue. Names and units are the Fleet API's REST ones. The vehicle's families have their own
files (`params_charging`, `params_climate`, `params_body`, `params_infotainment`); energy sites are here."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Percent(NoParams):
    percent: int = Field(ge=0, le=100, description="Share of the Powerwall's energy, in percent")


class OperationMode(NoParams):
    mode: Literal["self_consumption", "autonomous", "backup"] = Field(
        description="self_consumption (self-powered), autonomous (time-based control) or backup (backup only)"
    )


class StormMode(NoParams):
    enabled: bool = Field(description="true on, false off")


class GridImportExport(NoParams):
    customer_preferred_export_rule: Literal["battery_ok", "pv_only", "never"] | None = Field(
        default=None, description="What may be exported: battery and solar, solar only, or nothing"
    )
    disallow_charge_from_grid_with_solar_installed: bool | None = Field(
        default=None, description="true keeps the Powerwall from charging from the grid"
    )

    @model_validator(mode="after")
    def _something_to_set(self) -> GridImportExport:
        if self.customer_preferred_export_rule is None and self.disallow_charge_from_grid_with_solar_installed is None:
            raise ValueError(
                "give customer_preferred_export_rule, disallow_charge_from_grid_with_solar_installed or both"
            )
        return self


class TimeOfUse(NoParams):
    tariff_content_v2: dict[str, Any] = Field(
        description="The utility tariff in Tesla's tariff_content_v2 shape: `seasons` (each with fromMonth, "
        'fromDay, toMonth, toDay and `tou_periods`: period name to `{"periods": [{fromDayOfWeek, toDayOfWeek, '
        'fromHour, fromMinute, toHour, toMinute}]}`) and `energy_charges` (season to `{"rates": {period: price '
        "per kWh}}`); optional name, utility, currency, daily_charges, demand_charges, sell_tariff"
    )

    @model_validator(mode="after")
    def _seasons_and_charges(self) -> TimeOfUse:
        for key in ("seasons", "energy_charges"):
            if not isinstance(self.tariff_content_v2.get(key), dict) or not self.tariff_content_v2[key]:
                raise ValueError(f"tariff_content_v2 needs a non-empty {key} object")
        return self
