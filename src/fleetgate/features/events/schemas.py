from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from fleetgate.infra.pagination import Page


class EventOut(BaseModel):
    """An event as listed and as sent to webhook endpoints."""

    id: str = Field(description="Stable: the same event delivered twice has the same id (de-duplicate on it)")
    type: str
    version: int = Field(description="Version of the shape of `data` for this type")
    created_at: datetime
    data: dict[str, Any] = Field(description="The object the event is about, as the API showed it at that moment")


class EventPage(Page[EventOut]):
    """A page of events (a named class, so the OpenAPI schema gets a readable name)."""
