from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base


class DeviceHistory(Base):
    """A device's history over one range, normalised, as last read from Tesla: kept for good once the range is closed
    (its data can no longer change), replaced by the next read while it is open."""

    __tablename__ = "device_histories"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # energy, backup, charging
    period: Mapped[str] = mapped_column(String(10), primary_key=True)  # day, week, month, year
    range_start: Mapped[datetime] = mapped_column(primary_key=True)
    range_end: Mapped[datetime] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name the range was cut in
    # An energy site's own zone as Tesla said it (null for a car, or when not known), whichever zone the range was
    # cut in: later reads in the site's zone need not ask Tesla for it.
    site_time_zone: Mapped[str | None] = mapped_column(String(64), default=None)
    closed: Mapped[bool]
    fetched_at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
