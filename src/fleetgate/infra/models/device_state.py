from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base
from fleetgate.tesla.wake import OnlineState


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
    # When each field of `data` was measured, by its name in `data` (dotted for a nested one), for the fields Fleet
    # Telemetry has streamed; the others date from `polled_at`. A newer value of a field wins, streamed or polled.
    field_times: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)
    # When Tesla was last asked (`fetched_at` is the newest of that and the fields streamed since).
    polled_at: Mapped[datetime | None] = mapped_column(default=None)
    # Whether the newest of `data` came from the stream.
    streamed: Mapped[bool] = mapped_column(default=False, server_default=false())


@dataclass(frozen=True, slots=True)
class Reading:
    """A device's state as read from Tesla at one moment: a `DeviceState` row, or a read this process keeps."""

    fetched_at: datetime
    online_state: OnlineState | None
    data: dict[str, Any]
    raw: dict[str, Any] | None  # None also when not loaded from the database
    has_location: bool  # the location was asked for (and may be in `data`)
    # Whether the newest of `data` came from Fleet Telemetry, and when each streamed field was measured.
    streamed: bool = False
    field_times: dict[str, str] | None = None
    # The car's stream is open now: it sends every change, so the state is current however old its last record.
    streaming: bool = False

    def age_seconds(self, now: datetime) -> float:
        return max((now - self.fetched_at).total_seconds(), 0.0)

    def serves(self, now: datetime, max_age: float, location: bool) -> bool:
        # A state read without the location is no answer for a connection that may now read it. `max_age` 0 asks
        # Tesla even while the car streams.
        fresh = self.age_seconds(now) <= max_age or (self.streaming and max_age > 0)
        return fresh and (self.has_location or not location)
