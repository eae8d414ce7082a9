from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class ConnectionStatus(StrEnum):
    """A connection's life: `active` → `needs_reconnect` (Tesla refused to renew access, or the same Tesla account
    was connected again in another workspace) → `revoked` (deleted). A reconnect, or connecting the same Tesla
    account again in its workspace, makes it `active` once more."""

    ACTIVE = "active"
    NEEDS_RECONNECT = "needs_reconnect"
    REVOKED = "revoked"


class Connection(Base):
    """One Tesla account linked in a workspace: its tokens (encrypted), region and granted scopes.

    One per Tesla account and workspace, kept by `link_connection` rather than by a unique constraint: connections
    made before that rule may share an account (only the newest of them still has live tokens)."""

    __tablename__ = "connections"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    # The `sub` of Tesla's access token: the Tesla account, the same for every app and workspace.
    tesla_subject: Mapped[str] = mapped_column(String(200), index=True)
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
