from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base


class TelemetrySignalHour(Base):
    """The ledger of streaming signals past `telemetry_record_retention_days`: the records a device's car streamed,
    and their signals, summed per hour they were received in (`jobs.retention` rolls `telemetry_records` up)."""

    __tablename__ = "telemetry_signal_hours"
    __table_args__ = (
        # A device's hour is one row, added to by every roll-up (a row whose device or connection is gone is not
        # matched, null being no value: such rows only add to the workspace's totals).
        UniqueConstraint("workspace_id", "connection_id", "device_id", "hour"),
        Index("ix_telemetry_signal_hours_workspace_hour", "workspace_id", "hour"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    connection_id: Mapped[str | None] = mapped_column(
        ForeignKey("connections.id", ondelete="SET NULL"), default=None, index=True
    )
    device_id: Mapped[str | None] = mapped_column(
        ForeignKey("devices.id", ondelete="SET NULL"), default=None, index=True
    )
    hour: Mapped[datetime]  # its start, UTC
    records: Mapped[int] = mapped_column(default=0)
    signals: Mapped[int] = mapped_column(default=0)
