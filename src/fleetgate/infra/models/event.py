from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class Event(Base):
    """Something that happened in a workspace, as applications see it (`GET /v1/events`, webhooks).

    Written in the transaction of the change it describes, never changed afterwards: its id is what receivers
    de-duplicate on, and `version` is the version of the payload's shape for its `type`.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_workspace_created", "workspace_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
