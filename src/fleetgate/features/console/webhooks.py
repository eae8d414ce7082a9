"""Webhook endpoints and their deliveries with every attempt, read from the webhook tables for display."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.console.auth import ConsoleUserDep
from fleetgate.features.console.errors import workspace_row
from fleetgate.features.console.listing import page_params
from fleetgate.features.console.render import render
from fleetgate.infra.dependencies import SessionDep
from fleetgate.infra.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from fleetgate.infra.pagination import paginate

router = APIRouter()


async def events_of(session: AsyncSession, deliveries: Iterable[WebhookDelivery]) -> dict[str, Event]:
    ids = {delivery.event_id for delivery in deliveries}
    if not ids:
        return {}
    return {event.id: event for event in await session.scalars(select(Event).where(Event.id.in_(ids)))}


async def endpoints_of(session: AsyncSession, workspace_id: str) -> list[WebhookEndpoint]:
    query = (
        select(WebhookEndpoint)
        .where(WebhookEndpoint.workspace_id == workspace_id)
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    )
    return list((await session.scalars(query)).all())


@router.get("/console/webhooks")
async def webhooks(request: Request, user: ConsoleUserDep, session: SessionDep, cursor: str | None = None) -> Response:
    endpoints = await endpoints_of(session, user.workspace_id)
    query = select(WebhookDelivery).where(WebhookDelivery.workspace_id == user.workspace_id)
    deliveries, next_cursor = await paginate(session, query, WebhookDelivery, page_params(cursor))
    context = {
        "title": "Webhooks",
        "section": "webhooks",
        "endpoints": endpoints,
        "urls": {endpoint.id: endpoint.url for endpoint in endpoints},
        "deliveries": deliveries,
        "events": await events_of(session, deliveries),
        "next_url": f"/console/webhooks?cursor={next_cursor}" if next_cursor else None,
    }
    return render(request, "webhooks.html", context)


@router.get("/console/webhooks/deliveries/{delivery_id}")
async def delivery(delivery_id: str, request: Request, user: ConsoleUserDep, session: SessionDep) -> Response:
    row = await workspace_row(session, WebhookDelivery, user.workspace_id, delivery_id, "webhook delivery")
    attempts = await session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == row.id)
        .order_by(WebhookAttempt.number, WebhookAttempt.attempted_at)
    )
    context = {
        "title": "Webhook delivery",
        "section": "webhooks",
        "delivery": row,
        "endpoint": await session.get(WebhookEndpoint, row.endpoint_id),
        "event": await session.get(Event, row.event_id),
        "attempts": list(attempts.all()),
    }
    return render(request, "webhook_delivery.html", context)


@router.get("/console/webhooks/{endpoint_id}")
async def endpoint(
    endpoint_id: str, request: Request, user: ConsoleUserDep, session: SessionDep, cursor: str | None = None
) -> Response:
    row = await workspace_row(session, WebhookEndpoint, user.workspace_id, endpoint_id, "webhook endpoint")
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == row.id)
    deliveries, next_cursor = await paginate(session, query, WebhookDelivery, page_params(cursor))
    context = {
        "title": "Webhook endpoint",
        "section": "webhooks",
        "endpoint": row,
        "deliveries": deliveries,
        "events": await events_of(session, deliveries),
        "next_url": f"/console/webhooks/{row.id}?cursor={next_cursor}" if next_cursor else None,
    }
    return render(request, "webhook_endpoint.html", context)
