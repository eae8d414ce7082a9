from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_page import DeliveryPage
from ...models.error_body import ErrorBody
from ...models.list_webhook_deliveries_order import ListWebhookDeliveriesOrder
from ...models.list_webhook_deliveries_status import ListWebhookDeliveriesStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    endpoint_id: str,
    *,
    status: ListWebhookDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListWebhookDeliveriesOrder | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["limit"] = limit

    params["cursor"] = cursor

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhook-endpoints/{endpoint_id}/deliveries".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeliveryPage | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DeliveryPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DeliveryPage | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: ListWebhookDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListWebhookDeliveriesOrder | Unset = UNSET,
) -> Response[DeliveryPage | ErrorBody]:
    """List a webhook endpoint's deliveries

     Each event sent (or being sent) to the endpoint, newest first, with every attempt.

    Args:
        endpoint_id (str):
        status (ListWebhookDeliveriesStatus | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListWebhookDeliveriesOrder | Unset): `newest_first` (the default) or
            `oldest_first`, to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryPage | ErrorBody]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        limit=limit,
        cursor=cursor,
        order=order,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: ListWebhookDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListWebhookDeliveriesOrder | Unset = UNSET,
) -> DeliveryPage | ErrorBody | None:
    """List a webhook endpoint's deliveries

     Each event sent (or being sent) to the endpoint, newest first, with every attempt.

    Args:
        endpoint_id (str):
        status (ListWebhookDeliveriesStatus | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListWebhookDeliveriesOrder | Unset): `newest_first` (the default) or
            `oldest_first`, to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryPage | ErrorBody
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        status=status,
        limit=limit,
        cursor=cursor,
        order=order,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: ListWebhookDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListWebhookDeliveriesOrder | Unset = UNSET,
) -> Response[DeliveryPage | ErrorBody]:
    """List a webhook endpoint's deliveries

     Each event sent (or being sent) to the endpoint, newest first, with every attempt.

    Args:
        endpoint_id (str):
        status (ListWebhookDeliveriesStatus | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListWebhookDeliveriesOrder | Unset): `newest_first` (the default) or
            `oldest_first`, to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryPage | ErrorBody]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        limit=limit,
        cursor=cursor,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: ListWebhookDeliveriesStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListWebhookDeliveriesOrder | Unset = UNSET,
) -> DeliveryPage | ErrorBody | None:
    """List a webhook endpoint's deliveries

     Each event sent (or being sent) to the endpoint, newest first, with every attempt.

    Args:
        endpoint_id (str):
        status (ListWebhookDeliveriesStatus | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListWebhookDeliveriesOrder | Unset): `newest_first` (the default) or
            `oldest_first`, to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryPage | ErrorBody
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            status=status,
            limit=limit,
            cursor=cursor,
            order=order,
        )
    ).parsed
