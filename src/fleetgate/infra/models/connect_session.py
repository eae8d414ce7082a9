from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class ConnectSession(Base):
    """One trip of an end user through Tesla's consent. `oauth_state_hash` binds Tesla's callback to this row."""

    __tablename__ = "connect_sessions"
    __table_args__ = (UniqueConstraint("workspace_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    # Set for a reconnect: the connection this session updates.
    connection_id: Mapped[str | None] = mapped_column(
        ForeignKey("connections.id", ondelete="SET NULL"), default=None, index=True
    )
    reconnect: Mapped[bool] = mapped_column(default=False)
    redirect_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    requested_access: Mapped[list[str]] = mapped_column(JSON)
    require_all: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    oauth_state_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    code_verifier_enc: Mapped[str | None] = mapped_column(String(500), default=None)
    nonce: Mapped[str | None] = mapped_column(String(100), default=None)
    error_code: Mapped[str | None] = mapped_column(String(60), default=None)
    error_message: Mapped[str | None] = mapped_column(String(1000), default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    # The `Idempotency-Key` the session was created with, and a hash of that request's body: the same key with
    # another body is a conflict, not a replay.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), default=None)
    request_hash: Mapped[str | None] = mapped_column(String(64), default=None)
