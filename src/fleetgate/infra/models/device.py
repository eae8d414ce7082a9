from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class DeviceStatus(StrEnum):
    """`removed`: Tesla no longer lists the device on the account (or the connection was deleted); it comes back
    `active`, with the same id, when it is listed again."""

    ACTIVE = "active"
    REMOVED = "removed"


class Device(Base):
    """A vehicle or an energy site of a connection. The id stays the same across re-syncs and reconnects."""

    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("connection_id", "external_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    connection_id: Mapped[str] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))  # vehicle | energy_site
    # The VIN of a vehicle, the energy_site_id of a site.
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(20), default=DeviceStatus.ACTIVE)
    # vehicles
    command_signing: Mapped[str | None] = mapped_column(String(20), default=None)
    virtual_key_paired: Mapped[bool | None] = mapped_column(default=None)
    virtual_key_checked_at: Mapped[datetime | None] = mapped_column(default=None)
    firmware_version: Mapped[str | None] = mapped_column(String(40), default=None)
    # When a command last succeeded on the device: a state read before it no longer says how the device is.
    changed_by_command_at: Mapped[datetime | None] = mapped_column(default=None)
    # energy sites
    resource_type: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(default=None)
