"""The event log, and the outbox of webhook deliveries that goes with it.

`record_event` writes the event and one pending delivery per enabled endpoint of the workspace whose filter takes
it, in the caller's transaction: nothing is sent before that transaction commits, and a rollback takes the event
and its deliveries away together. The dispatcher (`jobs.webhook_dispatcher`) sends them afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.events.types import ALL, VERSIONS, matches
from fleetgate.infra.db.after_commit import Topic, announce
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.writes import Writes, insert_of
from fleetgate.infra.models import Event, WebhookDelivery, WebhookEndpoint
from fleetgate.infra.security.ids import new_id
from fleetgate.infra.workspace_rows import get_in_workspace

# Announced when a transaction that queued deliveries commits: it wakes this process's dispatcher.
DELIVERIES_QUEUED: Topic[None] = Topic("webhook deliveries queued")

# `record_event_in`'s statements, built once.
_EVENT_COLUMNS = ("id", "workspace_id", "type", "version", "data", "created_at")
_DELIVERY_COLUMNS = (
    "id",
    "workspace_id",
    "endpoint_id",
    "event_id",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
    "updated_at",
)
INSERT_EVENT = insert_of(cast(Table, Event.__table__), _EVENT_COLUMNS)
INSERT_DELIVERY = insert_of(cast(Table, WebhookDelivery.__table__), _DELIVERY_COLUMNS)
ENABLED_ENDPOINTS = select(WebhookEndpoint.id, WebhookEndpoint.events).where(
    WebhookEndpoint.workspace_id == bindparam("workspace_id"), WebhookEndpoint.enabled
)


async def record_event(session: AsyncSession, *, workspace_id: str, type: str, data: dict[str, Any]) -> Event:
    """`data` must be JSON as it will be sent (e.g. a schema's `model_dump(mode="json")`)."""
    return (await record_events(session, workspace_id=workspace_id, events=[(type, data)]))[0]


async def record_events(
    session: AsyncSession, *, workspace_id: str, events: Sequence[tuple[str, dict[str, Any]]]
) -> list[Event]:
    """`record_event` for many events of one workspace, in order: its endpoints are read once, and the events and
    their deliveries reach the database together at the next flush (one batched insert each, not one per event)."""
    if not events:
        return []
    query = select(WebhookEndpoint).where(WebhookEndpoint.workspace_id == workspace_id, WebhookEndpoint.enabled)
    endpoints = (await session.scalars(query)).all()
    recorded = []
    for type, data in events:
        event = insert_event(session, workspace_id=workspace_id, type=type, data=data)
        for endpoint in endpoints:
            if matches(endpoint.events, type):
                queue_delivery(session, event, endpoint)
        recorded.append(event)
    return recorded


async def record_event_in(writes: Writes, *, workspace_id: str, type: str, data: dict[str, Any]) -> None:
    """`record_event` in a transaction of prebuilt statements (`infra.db.writes`)."""
    endpoints = await writes.rows(ENABLED_ENDPOINTS, {"workspace_id": workspace_id})
    event = _event_values(workspace_id, type, data)
    await writes.execute(INSERT_EVENT, event)
    deliveries = [
        _delivery_values(workspace_id, event["id"], endpoint_id, event["created_at"])
        for endpoint_id, filters in endpoints
        if matches(filters, type)
    ]
    if deliveries:
        await writes.execute_many(INSERT_DELIVERY, deliveries)
        writes.announce(DELIVERIES_QUEUED, None)


def insert_event(session: AsyncSession, *, workspace_id: str, type: str, data: dict[str, Any]) -> Event:
    """The event alone, queued for no endpoint (`record_event` is what the rest of the code wants)."""
    event = Event(**_event_values(workspace_id, type, data))
    session.add(event)
    return event


def queue_delivery(session: AsyncSession, event: Event, endpoint: WebhookEndpoint) -> WebhookDelivery:
    delivery = WebhookDelivery(**_delivery_values(event.workspace_id, event.id, endpoint.id, event.created_at))
    session.add(delivery)
    announce(session, DELIVERIES_QUEUED, None)
    return delivery


def _event_values(workspace_id: str, type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": new_id("evt"),
        "workspace_id": workspace_id,
        "type": type,
        "version": VERSIONS.get(type, 1),
        "data": data,
        "created_at": utcnow(),
    }


def _delivery_values(workspace_id: str, event_id: str, endpoint_id: str, now: datetime) -> dict[str, Any]:
    return {
        "id": new_id("whd"),
        "workspace_id": workspace_id,
        "endpoint_id": endpoint_id,
        "event_id": event_id,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


async def get_event(session: AsyncSession, workspace_id: str, event_id: str) -> Event:
    return await get_in_workspace(session, Event, workspace_id, event_id, "event")


def list_query(workspace_id: str, type_pattern: str | None = None) -> Select[Event]:
    query = select(Event).where(Event.workspace_id == workspace_id)
    if type_pattern is None or type_pattern == ALL:
        return query
    if type_pattern.endswith(".*"):
        return query.where(Event.type.startswith(type_pattern[:-1], autoescape=True))
    return query.where(Event.type == type_pattern)
