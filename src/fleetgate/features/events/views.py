from __future__ import annotations

import json
from typing import Any

from fleetgate.features.events.schemas import EventOut
from fleetgate.infra.models import Event


def event_out(event: Event) -> EventOut:
    return EventOut(id=event.id, type=event.type, version=event.version, created_at=event.created_at, data=event.data)


def event_payload(event: Event) -> dict[str, Any]:
    payload: dict[str, Any] = event_out(event).model_dump(mode="json")
    return payload


def event_body(event: Event) -> str:
    """The exact text a webhook delivery sends and signs."""
    return json.dumps(event_payload(event), separators=(",", ":"), ensure_ascii=False)
