from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base

# The receiver vouches for its open streams this often (`seen_at`); a stream it has not vouched for in a few beats is
# taken as closed (the receiver died, or lost its database) whatever `connected` says.
HEARTBEAT = timedelta(seconds=30)
SILENT_AFTER = 3 * HEARTBEAT


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
    seen_at: Mapped[datetime | None] = mapped_column(default=None)


def stream_open(connected: bool | None, seen_at: datetime | None, now: datetime) -> bool:
    return bool(connected) and seen_at is not None and now - seen_at <= SILENT_AFTER
