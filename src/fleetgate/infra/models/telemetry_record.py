from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class TelemetryRecord(Base):
    """A record a car streamed and fleetgate stored: what makes a resend a duplicate, and the ledger of streaming
    signals (Tesla bills each datum)."""

    __tablename__ = "telemetry_records"
    # A car's record is its topic and the moment it was made; a resend carries the same moment (see `ingest`).
    __table_args__ = (
        UniqueConstraint("device_id", "topic", "created_at"),
        Index("ix_telemetry_records_workspace_received", "workspace_id", "received_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    connection_id: Mapped[str | None] = mapped_column(
        ForeignKey("connections.id", ondelete="SET NULL"), default=None, index=True
    )
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), default=None)
    topic: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]  # the car's time of the record
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    signals: Mapped[int] = mapped_column(default=0)
