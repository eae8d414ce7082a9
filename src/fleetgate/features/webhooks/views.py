from __future__ import annotations

from fleetgate.features.webhooks.delivery import PENDING
from fleetgate.features.webhooks.schemas import AttemptOut, DeliveryOut, WebhookEndpointCreated, WebhookEndpointOut
from fleetgate.infra.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_out(endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return WebhookEndpointOut(
        id=endpoint.id,
        url=endpoint.url,
        events=list(endpoint.events),
        enabled=endpoint.enabled,
        disabled_at=endpoint.disabled_at,
        disabled_reason=endpoint.disabled_reason,
        consecutive_failures=endpoint.consecutive_failures,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
    )


def endpoint_created(endpoint: WebhookEndpoint, secret: str) -> WebhookEndpointCreated:
    return WebhookEndpointCreated(**endpoint_out(endpoint).model_dump(), secret=secret)


def attempt_out(row: WebhookAttempt) -> AttemptOut:
    return AttemptOut(
        number=row.number,
        at=row.attempted_at,
        succeeded=row.succeeded,
        status_code=row.status_code,
        error=row.error,
        response_body=row.response_body,
        duration_ms=row.duration_ms,
    )


def delivery_out(delivery: WebhookDelivery, event: Event, attempts: list[WebhookAttempt]) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=event.type,
        status=delivery.status,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at if delivery.status == PENDING else None,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        completed_at=delivery.completed_at,
        attempt_log=[attempt_out(row) for row in attempts],
    )
