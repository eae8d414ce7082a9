from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class ConnectionStatus(StrEnum):
    """A connection's life: `active` → `needs_reconnect` (Tesla refused to renew access) → `revoked` (deleted). A
    reconnect, or connecting the same Tesla account again, makes it `active` once more."""

    ACTIVE = "active"
    NEEDS_RECONNECT = "needs_reconnect"
    REVOKED = "revoked"


class Connection(Base):
    """One Tesla account linked by one customer: its tokens (encrypted), region and granted scopes."""

    __tablename__ = "connections"
    __table_args__ = (UniqueConstraint("workspace_id", "customer_id", "tesla_subject"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    tesla_subject: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(20), default=ConnectionStatus.ACTIVE)
    status_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    granted_scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    requested_access: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_token_enc: Mapped[str | None] = mapped_column(Text, default=None)
    refresh_token_enc: Mapped[str | None] = mapped_column(Text, default=None)
    access_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # Bumped by every token change: a waiter that saw version N knows a refresh happened if it reads N+1.
    token_version: Mapped[int] = mapped_column(default=0)
    refreshed_at: Mapped[datetime | None] = mapped_column(default=None)
    synced_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
