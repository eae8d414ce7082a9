from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class UpstreamCall(Base):
    """One call to Tesla's Fleet API, by billing category: the usage ledger and the per-device budgets' window."""

    __tablename__ = "upstream_calls"
    __table_args__ = (Index("ix_upstream_calls_device_category_at", "device_key", "category", "at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    connection_id: Mapped[str | None] = mapped_column(
        ForeignKey("connections.id", ondelete="SET NULL"), default=None, index=True
    )
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), default=None)
    # Tesla counts limits per vehicle (VIN) or site across every app of the account: the VIN or site id, not our id.
    device_key: Mapped[str | None] = mapped_column(String(64), default=None)
    # data | commands | wakes, or null for calls Tesla does not bill
    category: Mapped[str | None] = mapped_column(String(20), default=None)
    method: Mapped[str] = mapped_column(String(8))
    endpoint: Mapped[str] = mapped_column(String(200))
    status: Mapped[int | None] = mapped_column(default=None)  # null while in flight
    billable: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
