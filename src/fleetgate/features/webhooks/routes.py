from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response

from fleetgate.features.webhooks.schemas import (
    DeliveryOut,
    DeliveryPage,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPage,
)
from fleetgate.features.webhooks.service import (
    WebhookEndpointDisabled,
    WebhookTargetNotAllowed,
    WebhookTargetUnresolvable,
    create_endpoint,
    delete_endpoint,
    deliveries_out,
    deliveries_query,
    enable_endpoint,
    get_delivery,
    get_endpoint,
    list_query,
    redeliver,
    send_test_event,
)
from fleetgate.features.webhooks.views import endpoint_created, endpoint_out
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep
from fleetgate.infra.errors import IdempotencyConflict
from fleetgate.infra.idempotency import IdempotencyKey
from fleetgate.infra.models import WebhookDelivery, WebhookEndpoint
from fleetgate.infra.openapi import documented_errors, replayed
from fleetgate.infra.pagination import PageDep, paginate

router = APIRouter(tags=["webhooks"])


@router.post(
    "/v1/webhook-endpoints",
    name="create_webhook_endpoint",
    summary="Create a webhook endpoint",
    status_code=201,
    responses={
        **replayed(WebhookEndpointCreated),
        **documented_errors(IdempotencyConflict, WebhookTargetNotAllowed, WebhookTargetUnresolvable),
    },
)
async def create(
    body: WebhookEndpointIn,
    workspace: WorkspaceDep,
    session: SessionDep,
    runtime: RuntimeDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> WebhookEndpointCreated:
    """Events of the workspace that match `events` are POSTed to `url`, signed per Standard Webhooks with the
    `secret` of this answer, which is never shown again."""
    endpoint, secret, created = await create_endpoint(session, runtime, workspace.id, body, idempotency_key)
    if not created:
        response.status_code = 200
    return endpoint_created(endpoint, secret)


@router.get("/v1/webhook-endpoints", name="list_webhook_endpoints", summary="List webhook endpoints")
async def list_endpoints(workspace: WorkspaceDep, session: SessionDep, page: PageDep) -> WebhookEndpointPage:
    rows, cursor = await paginate(session, list_query(workspace.id), WebhookEndpoint, page)
    return WebhookEndpointPage(data=[endpoint_out(row) for row in rows], next_cursor=cursor)


@router.get("/v1/webhook-endpoints/{endpoint_id}", name="get_webhook_endpoint", summary="Read a webhook endpoint")
async def get(endpoint_id: str, workspace: WorkspaceDep, session: SessionDep) -> WebhookEndpointOut:
    return endpoint_out(await get_endpoint(session, workspace.id, endpoint_id))


@router.delete(
    "/v1/webhook-endpoints/{endpoint_id}",
    name="delete_webhook_endpoint",
    summary="Delete a webhook endpoint",
    status_code=204,
)
async def delete(endpoint_id: str, workspace: WorkspaceDep, session: SessionDep) -> None:
    await delete_endpoint(session, await get_endpoint(session, workspace.id, endpoint_id))


@router.post(
    "/v1/webhook-endpoints/{endpoint_id}/enable",
    name="enable_webhook_endpoint",
    summary="Enable a webhook endpoint again",
)
async def enable(endpoint_id: str, workspace: WorkspaceDep, session: SessionDep) -> WebhookEndpointOut:
    """Re-enables an endpoint disabled after repeated failures (enabling an enabled one changes nothing)."""
    endpoint = enable_endpoint(await get_endpoint(session, workspace.id, endpoint_id))
    await session.flush()
    return endpoint_out(endpoint)


@router.post(
    "/v1/webhook-endpoints/{endpoint_id}/test",
    name="send_test_webhook",
    summary="Send a test event to a webhook endpoint",
    status_code=202,
    responses=documented_errors(WebhookEndpointDisabled),
)
async def test(endpoint_id: str, workspace: WorkspaceDep, session: SessionDep) -> DeliveryOut:
    """Queues a `webhook.test` event for this endpoint only; follow it in the deliveries."""
    delivery = await send_test_event(session, await get_endpoint(session, workspace.id, endpoint_id))
    return (await deliveries_out(session, [delivery]))[0]


@router.get(
    "/v1/webhook-endpoints/{endpoint_id}/deliveries",
    name="list_webhook_deliveries",
    summary="List a webhook endpoint's deliveries",
)
async def deliveries(
    endpoint_id: str,
    workspace: WorkspaceDep,
    session: SessionDep,
    page: PageDep,
    status: Literal["pending", "succeeded", "failed"] | None = None,
) -> DeliveryPage:
    """Each event sent (or being sent) to the endpoint, newest first, with every attempt."""
    endpoint = await get_endpoint(session, workspace.id, endpoint_id)
    rows, cursor = await paginate(session, deliveries_query(endpoint.id, status), WebhookDelivery, page)
    return DeliveryPage(data=await deliveries_out(session, rows), next_cursor=cursor)


@router.post(
    "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    name="redeliver_webhook_delivery",
    summary="Send a webhook delivery again",
    status_code=202,
    responses=documented_errors(WebhookEndpointDisabled),
)
async def redeliver_delivery(
    endpoint_id: str, delivery_id: str, workspace: WorkspaceDep, session: SessionDep
) -> DeliveryOut:
    """Sends the delivery's event to the endpoint again, now: a delivered or failed delivery is `pending` again (its
    attempts so far are kept); one waiting for a retry is tried at once. Follow it in the deliveries."""
    endpoint = await get_endpoint(session, workspace.id, endpoint_id)
    delivery = await redeliver(session, endpoint, await get_delivery(session, workspace.id, endpoint.id, delivery_id))
    return (await deliveries_out(session, [delivery]))[0]
