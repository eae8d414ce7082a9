from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base


class TelemetryConnectivity(Base):
    """Whether a car's stream to the receiver is open: while it is, the stored state is as current as the car's
    `minimum_delta`s allow, since the car sends every change."""

    __tablename__ = "telemetry_connectivity"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    connected: Mapped[bool]
    # The receiver's id for the WebSocket: a disconnect of an older socket does not close a newer one.
    stream_id: Mapped[str] = mapped_column(String(64))
    network_interface: Mapped[str | None] = mapped_column(String(40), default=None)
    changed_at: Mapped[datetime]
