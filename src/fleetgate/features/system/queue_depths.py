from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.commands.status import ACTIVE
from fleetgate.features.webhooks.delivery import PENDING
from fleetgate.infra.metrics import Metrics
from fleetgate.infra.models import Command, WebhookDelivery


async def read_queue_depths(session: AsyncSession, metrics: Metrics) -> None:
    counted = dict(
        (
            await session.execute(
                select(Command.status, func.count()).where(Command.status.in_(ACTIVE)).group_by(Command.status)
            )
        ).all()
    )
    for status in ACTIVE:
        metrics.commands.labels(status).set(counted.get(status, 0))
    pending = await session.scalar(
        select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == PENDING)
    )
    metrics.webhook_deliveries.labels(PENDING).set(pending or 0)
