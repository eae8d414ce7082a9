"""Sending webhook deliveries: a pass (`dispatch_due`) finds due deliveries, claims them, sends them, a bounded number
at a time; `seconds_until_due` says when the next one comes due. The dispatcher task of each process runs the passes
(`jobs.webhook_dispatcher`).

Several dispatchers may run against one database: a claim is one UPDATE of the due rows that writes the claimant's
token and a lease (its subquery takes the rows `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite runs one writer at a
time), so a delivery is held by one dispatcher at a time. A dispatcher that dies mid-attempt leaves a lease that
runs out, then another one sends the delivery again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.events.views import event_body
from fleetgate.features.webhooks.delivery import ENDPOINT_DISABLED, FAILED, PENDING, Claimed, attempt, record_outcome
from fleetgate.features.webhooks.signing import open_secret
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Event, WebhookDelivery, WebhookEndpoint
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.encryption import DecryptionError
from fleetgate.infra.security.ids import new_id

log = logging.getLogger("fleetgate.webhooks")

# A claim outlives the attempt's timeout by this much before another dispatcher may take the delivery over.
LEASE_MARGIN_SECONDS = 30.0
# The shortest sleep between passes when something is due but was not claimed (another dispatcher holds it).
IDLE_FLOOR_SECONDS = 0.01


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        WebhookDelivery.status == PENDING,
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.lease_expires_at.is_(None), WebhookDelivery.lease_expires_at < now),
    ]


async def claim_due(runtime: Runtime, limit: int) -> list[Claimed]:
    now = utcnow()
    token = new_id("claim")
    lease = now + timedelta(seconds=runtime.settings.webhook_timeout_seconds + LEASE_MARGIN_SECONDS)
    async with runtime.sessionmaker() as session:
        try:
            # A read first, so that an idle pass writes nothing (on SQLite a write locks the whole database). The
            # driver runs it outside a transaction; the UPDATE below starts its own.
            if await session.scalar(select(WebhookDelivery.id).where(*_due(now)).limit(1)) is None:
                return []
            due = select(WebhookDelivery.id).where(*_due(now)).order_by(WebhookDelivery.next_attempt_at).limit(limit)
            if runtime.engine.dialect.name != "sqlite":
                due = due.with_for_update(skip_locked=True)
            taken = await session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_(due.scalar_subquery()), *_due(now))
                .values(claim_token=token, lease_expires_at=lease)
                .returning(WebhookDelivery.id)
                .execution_options(synchronize_session=False)
            )
            ids = list(taken.scalars())
            claimed = await _read_claimed(session, runtime, ids, token) if ids else []
            await session.commit()
            return claimed
        except BaseException:
            await session.rollback()
            raise


async def _read_claimed(session: AsyncSession, runtime: Runtime, ids: list[str], token: str) -> list[Claimed]:
    query = (
        select(WebhookDelivery, WebhookEndpoint, Event)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .join(Event, Event.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.id.in_(ids))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
    )
    claimed: list[Claimed] = []
    for delivery, endpoint, event in await session.execute(query):
        if not endpoint.enabled:
            # Queued by a transaction that had not yet seen the endpoint disabled.
            delivery.status, delivery.last_error, delivery.completed_at = FAILED, ENDPOINT_DISABLED, utcnow()
            delivery.claim_token, delivery.lease_expires_at = None, None
            continue
        try:
            secret = open_secret(runtime.encryptor, endpoint.id, endpoint.secret_enc)
        except DecryptionError:
            secret = ""  # the attempt fails and says why; see `delivery.attempt`
        claimed.append(
            Claimed(
                delivery_id=delivery.id,
                claim_token=token,
                endpoint_id=endpoint.id,
                url=endpoint.url,
                secret=secret,
                event_id=event.id,
                body=event_body(event),
                attempts=delivery.attempts,
            )
        )
    return claimed


async def send_claimed(runtime: Runtime, claimed: Claimed) -> str | None:
    """Sends one claimed delivery and records the attempt; the delivery's new status (see `record_outcome`)."""
    outcome = await attempt(runtime.webhook_http, runtime.settings, claimed)
    runtime.metrics.webhook_attempts.labels("succeeded" if outcome.succeeded else "failed").inc()
    async with runtime.sessionmaker() as session:
        try:
            status = await record_outcome(session, runtime.settings, claimed, outcome, utcnow())
            await session.commit()
            return status
        except BaseException:
            await session.rollback()
            raise


async def dispatch_due(runtime: Runtime, *, limit: int | None = None) -> dict[str, str | None]:
    """One pass: claims the due deliveries (at most `limit`, by default `webhook_max_concurrency`) and sends them
    concurrently. Answers each claimed delivery's new status (None: its outcome could not be recorded)."""
    claimed = await claim_due(runtime, limit or runtime.settings.webhook_max_concurrency)
    results = await asyncio.gather(*(send_claimed(runtime, item) for item in claimed), return_exceptions=True)
    statuses: dict[str, str | None] = {}
    for item, result in zip(claimed, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            log.error("webhook delivery %s: the attempt could not be recorded", item.delivery_id, exc_info=result)
            statuses[item.delivery_id] = None
        else:
            statuses[item.delivery_id] = result
    return statuses


async def seconds_until_due(runtime: Runtime, cap: float) -> float:
    now = utcnow()
    async with runtime.sessionmaker() as session:
        query = select(func.min(WebhookDelivery.next_attempt_at)).where(
            WebhookDelivery.status == PENDING,
            or_(WebhookDelivery.lease_expires_at.is_(None), WebhookDelivery.lease_expires_at < now),
        )
        first = await session.scalar(query)
    if first is None:
        return cap
    return min(cap, max(IDLE_FLOOR_SECONDS, (first - now).total_seconds()))
