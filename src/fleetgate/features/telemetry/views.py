from __future__ import annotations

from datetime import datetime

from fleetgate.features.telemetry.budgets import BudgetUsage
from fleetgate.features.telemetry.cost import ASSUMPTIONS, Estimate
from fleetgate.features.telemetry.fields import BY_NAME
from fleetgate.features.telemetry.schemas import (
    BudgetOut,
    CostEstimateOut,
    FieldCostOut,
    PollingCostOut,
    StreamedFieldOut,
    TelemetryErrorOut,
    TelemetryOut,
)
from fleetgate.features.telemetry.service import estimate_of
from fleetgate.infra.models import Device, TelemetryConfig
from fleetgate.infra.models.telemetry_config import TelemetryStatus


def _usd(amount: float) -> float:
    return round(amount, 6)


def estimate_out(estimate: Estimate) -> CostEstimateOut:
    return CostEstimateOut(
        signals_per_day=round(estimate.signals_per_day, 1),
        usd_per_day=_usd(estimate.usd_per_day),
        usd_per_month=_usd(estimate.usd_per_month),
        fields=[
            FieldCostOut(tesla_field=f.tesla_field, signals_per_day=round(f.signals_per_day, 1))
            for f in estimate.fields
        ],
        polling=PollingCostOut(
            freshness_seconds=estimate.freshness_seconds,
            requests_per_day=estimate.polling_requests_per_day,
            usd_per_day=_usd(estimate.polling_usd_per_day),
            usd_per_month=_usd(estimate.polling_usd_per_month),
        ),
        assumptions=list(ASSUMPTIONS),
    )


def telemetry_out(device: Device, row: TelemetryConfig, usage: BudgetUsage) -> TelemetryOut:
    error = row.error
    return TelemetryOut(
        device_id=device.id,
        vin=device.external_id,
        status=TelemetryStatus(row.status),
        fields={
            name: StreamedFieldOut(
                tesla_field=BY_NAME[name].tesla_field if name in BY_NAME else name,
                interval_seconds=setting["interval_seconds"],
                minimum_delta=setting.get("minimum_delta"),
            )
            for name, setting in row.fields.items()
        },
        alert_types=list(row.alert_types),
        hostname=str(row.config.get("hostname", "")),
        port=int(row.config.get("port", 0)),
        expires_at=row.expires_at,
        error=(
            TelemetryErrorOut(
                name=error["name"],
                message=error["message"],
                at=datetime.fromisoformat(error["at"]) if error.get("at") else None,
            )
            if error
            else None
        ),
        synced_at=row.synced_at,
        checked_at=row.checked_at,
        estimate=estimate_out(estimate_of(row)),
        budget=BudgetOut(
            signals_per_day=row.signals_per_day_budget,
            workspace_signals_per_day=usage.workspace_budget,
            signals_today=usage.signals_today,
            paused_until=row.paused_until,
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
