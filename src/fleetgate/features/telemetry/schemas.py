from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fleetgate.infra.models.telemetry_config import TelemetryStatus

DEFAULT_INTERVAL_SECONDS = 60
MAX_INTERVAL_SECONDS = 24 * 3600
AlertType = Literal["service", "customer", "service-fix"]


class FieldSetting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interval_seconds: int | None = Field(
        default=None, ge=1, le=MAX_INTERVAL_SECONDS, description="At most one value per this many seconds"
    )
    minimum_delta: float | None = Field(
        default=None,
        ge=0,
        description="Send only a change larger than this, in Tesla's unit (metres for `location`); the catalogue's "
        "default when left out",
    )


class TelemetryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: list[str] | dict[str, FieldSetting] = Field(
        description="The state fields to stream, by the names of `GET /v1/devices/{id}/state`: a list, or an object "
        "of each field's own interval and minimum_delta",
        min_length=1,
    )
    interval_seconds: int | None = Field(
        default=None,
        ge=1,
        le=MAX_INTERVAL_SECONDS,
        description=f"Every field's interval unless it sets its own ({DEFAULT_INTERVAL_SECONDS} s by default)",
    )
    freshness_seconds: int | None = Field(
        default=None,
        ge=1,
        le=MAX_INTERVAL_SECONDS,
        description="Instead of `interval_seconds`: how old a field may be at most, which is the interval it needs",
    )
    alert_types: list[AlertType] = Field(default_factory=list, description="The car's alerts to stream too")
    signals_per_day_budget: int | None = Field(
        default=None,
        ge=1,
        description="Signals the car may stream a day (UTC); once spent, fleetgate removes the config at Tesla until "
        "the next day (`paused_budget`), since a receiver cannot stop a car from sending",
    )

    @model_validator(mode="after")
    def _one_interval(self) -> TelemetryIn:
        if self.interval_seconds is not None and self.freshness_seconds is not None:
            raise ValueError("give interval_seconds or freshness_seconds, not both")
        return self

    @property
    def interval(self) -> int:
        return self.interval_seconds or self.freshness_seconds or DEFAULT_INTERVAL_SECONDS

    def settings(self) -> dict[str, FieldSetting]:
        if isinstance(self.fields, list):
            return {name: FieldSetting() for name in self.fields}
        return dict(self.fields)


class StreamedFieldOut(BaseModel):
    tesla_field: str = Field(description="Tesla's Field that carries it")
    interval_seconds: int
    minimum_delta: float | None


class FieldCostOut(BaseModel):
    tesla_field: str
    signals_per_day: float


class PollingCostOut(BaseModel):
    freshness_seconds: int = Field(description="One vehicle_data call per this many seconds while the car is awake")
    requests_per_day: float
    usd_per_day: float
    usd_per_month: float


class CostEstimateOut(BaseModel):
    signals_per_day: float = Field(description="Signals a typical day (see `assumptions`), all fields")
    usd_per_day: float
    usd_per_month: float = Field(description="30 days")
    fields: list[FieldCostOut] = Field(description="Per Tesla field (fields that share one are sent once)")
    polling: PollingCostOut = Field(description="What polling `vehicle_data` for the same freshness costs")
    assumptions: list[str]


class TelemetryErrorOut(BaseModel):
    name: str = Field(description="Tesla's error name, e.g. `config_manager_error`")
    message: str = Field(description="Tesla's error as it reported it")
    at: datetime | None


class BudgetOut(BaseModel):
    signals_per_day: int | None = Field(description="The device's own budget; null: none")
    workspace_signals_per_day: int | None = Field(description="The workspace's budget, all vehicles together")
    signals_today: int = Field(description="Signals received from the car since 00:00 UTC")
    paused_until: datetime | None = Field(description="While `paused_budget`: when the config is posted again")


class WorkspaceBudgetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    signals_per_day: int | None = Field(ge=1, description="All the workspace's vehicles together; null: no budget")


class WorkspaceBudgetOut(BaseModel):
    signals_per_day: int | None
    signals_today: int = Field(description="Signals received from the workspace's vehicles since 00:00 UTC")


class TelemetryOut(BaseModel):
    device_id: str
    vin: str
    status: TelemetryStatus = Field(
        description="`pending` until Tesla says the car has the config; `synced`; `failed` with Tesla's error; "
        "`removed` when the config is no longer at Tesla (Tesla sends nothing then: fleetgate's checks notice); "
        "`paused_budget` when a day's signals budget is spent (removed at Tesla until `budget.paused_until`)"
    )
    fields: dict[str, StreamedFieldOut]
    alert_types: list[str]
    hostname: str = Field(description="Where the car streams to")
    port: int
    expires_at: datetime = Field(description="When the car stops using the config")
    error: TelemetryErrorOut | None
    synced_at: datetime | None
    checked_at: datetime | None = Field(description="When fleetgate last asked Tesla about the config")
    estimate: CostEstimateOut
    budget: BudgetOut
    created_at: datetime
    updated_at: datetime
