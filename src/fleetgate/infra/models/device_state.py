from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base


class DeviceState(Base):
    """The last state read from Tesla for a device, shared by every process that serves it."""

    __tablename__ = "device_states"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    fetched_at: Mapped[datetime]
    # What Tesla said of the car's connectivity when last asked (online, asleep, offline), for energy sites null.
    online_state: Mapped[str | None] = mapped_column(String(20), default=None)
    online_checked_at: Mapped[datetime | None] = mapped_column(default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # Whether `data` includes location (it is stored only when the connection may read it).
    has_location: Mapped[bool] = mapped_column(default=False)
