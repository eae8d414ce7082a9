"""What the console does to webhooks, through the webhooks feature's service: a test event, a delivery sent again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fleetgate.features.console.api_errors import error_text
from fleetgate.features.console.auth import FormUserDep
from fleetgate.features.console.errors import workspace_row
from fleetgate.features.console.flash import Flash
from fleetgate.features.console.render import done
from fleetgate.features.webhooks.service import redeliver, send_test_event
from fleetgate.infra.dependencies import SessionDep
from fleetgate.infra.errors import APIError
from fleetgate.infra.models import WebhookDelivery, WebhookEndpoint

router = APIRouter()


@router.post("/console/webhooks/{endpoint_id}/test")
async def send_test(endpoint_id: str, request: Request, user: FormUserDep, session: SessionDep) -> Response:
    """What `POST /v1/webhook-endpoints/{id}/test` does: a `webhook.test` event queued for this endpoint only."""
    endpoint = await workspace_row(session, WebhookEndpoint, user.workspace_id, endpoint_id, "webhook endpoint")
    back = f"/console/webhooks/{endpoint.id}"
    try:
        delivery = await send_test_event(session, endpoint)
    except APIError as exc:
        return done(request, back, Flash("bad", f"No test event sent: {error_text(exc)}"))
    return done(
        request,
        back,
        Flash(
            "ok",
            "Test event queued: it is sent to the endpoint in a moment.",
            f"/console/webhooks/deliveries/{delivery.id}",
            "Follow its delivery",
        ),
    )


@router.post("/console/webhooks/deliveries/{delivery_id}/redeliver")
async def send_again(delivery_id: str, request: Request, user: FormUserDep, session: SessionDep) -> Response:
    """What `POST /v1/webhook-endpoints/{id}/deliveries/{delivery_id}/redeliver` does."""
    delivery = await workspace_row(session, WebhookDelivery, user.workspace_id, delivery_id, "webhook delivery")
    back = f"/console/webhooks/deliveries/{delivery.id}"
    endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id)
    assert endpoint is not None  # a foreign key with ON DELETE CASCADE
    try:
        await redeliver(session, endpoint, delivery)
    except APIError as exc:
        return done(request, back, Flash("bad", f"Not sent again: {error_text(exc)}"))
    return done(request, back, Flash("ok", "Sent again: the next attempt is due now."))
