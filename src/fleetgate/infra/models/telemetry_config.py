from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class TelemetryStatus(StrEnum):
    """`pending` until Tesla says the car has the config (`synced`); `failed` when Tesla reports an error of the
    car with it; `removed` when the config is gone at Tesla (Tesla tells no one: a check notices)."""

    PENDING = "pending"
    SYNCED = "synced"
    FAILED = "failed"
    REMOVED = "removed"
    PAUSED_BUDGET = "paused_budget"


class TelemetryConfig(Base):
    """What a vehicle was asked to stream to this gateway: one config per device."""

    __tablename__ = "telemetry_configs"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    # By fleetgate's names: {name: {"interval_seconds": n, "minimum_delta": x | None}}.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    freshness_seconds: Mapped[int]
    alert_types: Mapped[list[str]] = mapped_column(JSON)
    # Tesla's config as it was signed and posted.
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    expires_at: Mapped[datetime]
    # Tesla's last error about the car's config: {"name", "message", "at"}.
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # Signals a day the device may stream (UTC days); null: no budget of its own.
    signals_per_day_budget: Mapped[int | None] = mapped_column(default=None)
    # While `paused_budget`: when it is posted again.
    paused_until: Mapped[datetime | None] = mapped_column(default=None)
    synced_at: Mapped[datetime | None] = mapped_column(default=None)
    checked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
