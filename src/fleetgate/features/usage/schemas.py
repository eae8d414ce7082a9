from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Counts(BaseModel):
    data: int = 0
    commands: int = 0
    wakes: int = 0
    streaming_signals: int = Field(default=0, description="Datums cars streamed (Fleet Telemetry)")


class Costs(BaseModel):
    data: float
    commands: float
    wakes: float
    streaming_signals: float
    total: float


class Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: datetime = Field(alias="from", description="Included")
    to: datetime = Field(description="Excluded")


class DeviceUsage(BaseModel):
    device_id: str
    counts: Counts


class ConnectionUsage(BaseModel):
    connection_id: str
    customer_id: str
    counts: Counts
    estimated_cost_usd: Costs
    devices: list[DeviceUsage] = Field(description="Billed calls per device of the connection")


class UsageOut(BaseModel):
    period: Period
    totals: Counts = Field(description="Billed calls by Tesla's billing category, and the signals cars streamed")
    estimated_cost_usd: Costs = Field(
        description="At Tesla's prices: data 500 calls per $1, commands 1,000 per $1, wakes 50 per $1, streaming "
        "signals 150,000 per $1. Tesla's "
        "monthly credit ($10) is not subtracted, and Tesla rounds its invoice to the cent."
    )
    calls_per_usd: Counts = Field(description="Calls (streaming: signals) per dollar, as Tesla prices them")
    by_connection: list[ConnectionUsage]
    unbilled_calls: int = Field(
        description="Calls to endpoints Tesla does not charge for (products, fleet_status, the vehicle summary…)"
    )
    errors_not_billed: int = Field(
        description="Calls of a billed category Tesla does not bill: answered 500 or above, never answered (a "
        "transport error, or still in flight), or refused before being served (expired token, wrong region) and "
        "sent again"
    )
