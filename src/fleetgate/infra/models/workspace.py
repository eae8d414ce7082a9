from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fleetgate.infra.db.base import Base, utcnow


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What the hosted pages show the end user (checked in `workspaces.branding`); none of it set means the name alone.
    display_name: Mapped[str | None] = mapped_column(String(200), default=None)
    logo_url: Mapped[str | None] = mapped_column(Text, default=None)
    accent_color: Mapped[str | None] = mapped_column(String(7), default=None)
    # Streaming signals a day for all its vehicles together (see `telemetry.budgets`); null: no budget.
    telemetry_signals_per_day_budget: Mapped[int | None] = mapped_column(default=None)
