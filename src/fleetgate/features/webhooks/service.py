"""A workspace's webhook endpoints: creation (the secret is shown once), re-enabling, deletion, a test event on
demand, the log of deliveries with every attempt, and a delivery sent again on demand."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.events.service import DELIVERIES_QUEUED, insert_event, queue_delivery
from fleetgate.features.events.types import WEBHOOK_TEST
from fleetgate.features.webhooks.delivery import PENDING
from fleetgate.features.webhooks.schemas import DeliveryOut, WebhookEndpointIn
from fleetgate.features.webhooks.signing import new_secret, open_secret, seal_secret
from fleetgate.features.webhooks.targets import TargetError, check_target
from fleetgate.features.webhooks.views import delivery_out
from fleetgate.infra.db.after_commit import announce
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.errors import APIError, Conflict, NotFound, ValidationFailed
from fleetgate.infra.idempotency import create_once, fingerprint
from fleetgate.infra.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.infra.workspace_rows import get_in_workspace

ALLOW_PRIVATE_SETTING = "FLEETGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS"


class WebhookTargetNotAllowed(APIError):
    status = 422
    code = "webhook_target_not_allowed"


class WebhookTargetUnresolvable(APIError):
    status = 422
    code = "webhook_target_unresolvable"


class WebhookEndpointDisabled(Conflict):
    code = "webhook_endpoint_disabled"


async def check_url(runtime: Runtime, url: str) -> None:
    try:
        await check_target(url, runtime.settings)
    except TargetError as exc:
        if exc.code == "private_target":
            raise WebhookTargetNotAllowed(
                f"Webhooks are not sent to this URL. {exc.reason}",
                field="url",
                remedy={
                    "action": "use_public_url",
                    "message": "Use a URL on a public address. A receiver on a private network can be allowed by "
                    f"the gateway's operator with {ALLOW_PRIVATE_SETTING}=true.",
                    "setting": ALLOW_PRIVATE_SETTING,
                },
            ) from exc
        if exc.code == "unresolvable":
            raise WebhookTargetUnresolvable(
                exc.reason, field="url", remedy={"action": "check_url", "message": "Check the host name's DNS."}
            ) from exc
        raise ValidationFailed(exc.reason, field="url") from exc


async def create_endpoint(
    session: AsyncSession, runtime: Runtime, workspace_id: str, body: WebhookEndpointIn, idempotency_key: str | None
) -> tuple[WebhookEndpoint, str, bool]:
    """The endpoint, its secret in clear, and whether it is new (false: a replay of the same `Idempotency-Key`, which
    answers as the first request did, secret included)."""
    request_hash = fingerprint(body.model_dump(mode="json"))
    secret = new_secret()

    async def build() -> WebhookEndpoint:
        await check_url(runtime, body.url)
        now = utcnow()
        endpoint = WebhookEndpoint(
            id=new_id("whe"),
            workspace_id=workspace_id,
            url=body.url,
            events=list(body.events),
            enabled=True,
            consecutive_failures=0,
            created_at=now,
            updated_at=now,
        )
        endpoint.secret_enc = seal_secret(runtime.encryptor, endpoint.id, secret)
        return endpoint

    async def find(key: str) -> WebhookEndpoint | None:
        query = select(WebhookEndpoint).where(
            WebhookEndpoint.workspace_id == workspace_id, WebhookEndpoint.idempotency_key == key
        )
        return await session.scalar(query)

    endpoint, created = await create_once(
        session, idempotency_key, request_hash, find=find, build=build, id_field="webhook_endpoint_id"
    )
    # A replay answers as the first request did, secret included.
    return endpoint, secret if created else open_secret(runtime.encryptor, endpoint.id, endpoint.secret_enc), created


async def get_endpoint(session: AsyncSession, workspace_id: str, endpoint_id: str) -> WebhookEndpoint:
    return await get_in_workspace(session, WebhookEndpoint, workspace_id, endpoint_id, "webhook endpoint")


def list_query(workspace_id: str) -> Select[WebhookEndpoint]:
    return select(WebhookEndpoint).where(WebhookEndpoint.workspace_id == workspace_id)


async def delete_endpoint(session: AsyncSession, endpoint: WebhookEndpoint) -> None:
    """Its deliveries and their attempts go with it; the events stay in the log."""
    await session.delete(endpoint)
    await session.flush()


def enable_endpoint(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Events from now on are queued for it again; deliveries that failed while it was disabled stay failed."""
    if not endpoint.enabled:
        endpoint.enabled = True
        endpoint.disabled_at = None
        endpoint.disabled_reason = None
        endpoint.consecutive_failures = 0
        endpoint.failing_since = None
    return endpoint


async def send_test_event(session: AsyncSession, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A `webhook.test` event, queued for this endpoint only whatever its filter."""
    if not endpoint.enabled:
        raise WebhookEndpointDisabled(
            "This endpoint is disabled; enable it first.",
            remedy={"action": "enable", "method": "POST", "path": f"/v1/webhook-endpoints/{endpoint.id}/enable"},
        )
    data = {"webhook_endpoint_id": endpoint.id, "message": "A test event, sent on request."}
    event = insert_event(session, workspace_id=endpoint.workspace_id, type=WEBHOOK_TEST, data=data)
    delivery = queue_delivery(session, event, endpoint)
    await session.flush()
    return delivery


async def get_delivery(session: AsyncSession, workspace_id: str, endpoint_id: str, delivery_id: str) -> WebhookDelivery:
    delivery = await get_in_workspace(session, WebhookDelivery, workspace_id, delivery_id, "webhook delivery")
    if delivery.endpoint_id != endpoint_id:
        raise NotFound(f"No webhook delivery {delivery_id} to endpoint {endpoint_id}.")
    return delivery


async def redeliver(session: AsyncSession, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> WebhookDelivery:
    """Sends the delivery's event again, now: a delivery that ended (delivered or failed) is pending again, one that
    waits for its next retry is due at once, one being attempted right now is left to that attempt. Its attempts
    so far are kept; the retry schedule goes on from them, so a delivery whose retries were used up gets one."""
    if not endpoint.enabled:
        raise WebhookEndpointDisabled(
            "This endpoint is disabled; enable it first.",
            remedy={"action": "enable", "method": "POST", "path": f"/v1/webhook-endpoints/{endpoint.id}/enable"},
        )
    if delivery.claim_token is None:
        delivery.status = PENDING
        delivery.next_attempt_at = utcnow()
        delivery.completed_at = None
        announce(session, DELIVERIES_QUEUED, None)
        await session.flush()
    return delivery


def deliveries_query(endpoint_id: str, status: str | None = None) -> Select[WebhookDelivery]:
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    return query


async def deliveries_out(session: AsyncSession, deliveries: list[WebhookDelivery]) -> list[DeliveryOut]:
    if not deliveries:
        return []
    ids = [delivery.id for delivery in deliveries]
    events = await session.scalars(select(Event).where(Event.id.in_({d.event_id for d in deliveries})))
    by_id = {event.id: event for event in events}
    attempts: dict[str, list[WebhookAttempt]] = defaultdict(list)
    query = (
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(ids))
        .order_by(WebhookAttempt.number, WebhookAttempt.attempted_at)
    )
    for row in await session.scalars(query):
        attempts[row.delivery_id].append(row)
    return [delivery_out(d, by_id[d.event_id], attempts[d.id]) for d in deliveries]
