from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow

RUNNING = text("status = 'in_progress'")


class Command(Base):
    """A command to a device: the source of truth of its lifecycle, whichever executor carries it.

    At most one command per device is `in_progress` at a time: a unique index over the running ones makes the
    database refuse a second claim, whichever process or worker attempts it.
    """

    __tablename__ = "commands"
    __table_args__ = (
        UniqueConstraint("workspace_id", "idempotency_key"),
        Index("uq_commands_running_device", "device_id", unique=True, sqlite_where=RUNNING, postgresql_where=RUNNING),
        Index("ix_commands_status_not_before", "status", "not_before"),
        Index("ix_commands_device_created", "device_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    connection_id: Mapped[str] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    command: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    # As the catalogue said at submission: whether sending it twice ends the same as sending it once.
    idempotent: Mapped[bool]
    wake: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    # Not run before this moment (a retry's back-off, a rate limit's Retry-After).
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # The executor running it, until when its claim holds unless renewed, and whether the current attempt may have
    # reached Tesla: what recovery after a crash needs to know.
    claimed_by: Mapped[str | None] = mapped_column(String(60), default=None)
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    # Sticky across retries: some attempt may have reached the car (see `commands.lifecycle`).
    may_have_run: Mapped[bool] = mapped_column(default=False, server_default=false())
    idempotency_key: Mapped[str | None] = mapped_column(String(200), default=None)
    request_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
