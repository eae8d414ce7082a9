from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.list_connections_order import ListConnectionsOrder
from ...models.page_connection_out import PageConnectionOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    customer_id: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListConnectionsOrder | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["customer_id"] = customer_id

    params["limit"] = limit

    params["cursor"] = cursor

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/connections",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | PageConnectionOut | None:
    if response.status_code == 200:
        response_200 = PageConnectionOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

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
) -> Response[ErrorBody | PageConnectionOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    customer_id: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListConnectionsOrder | Unset = UNSET,
) -> Response[ErrorBody | PageConnectionOut]:
    """List connections

    Args:
        customer_id (str | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListConnectionsOrder | Unset): `newest_first` (the default) or `oldest_first`, to
            read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PageConnectionOut]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        limit=limit,
        cursor=cursor,
        order=order,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    customer_id: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListConnectionsOrder | Unset = UNSET,
) -> ErrorBody | PageConnectionOut | None:
    """List connections

    Args:
        customer_id (str | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListConnectionsOrder | Unset): `newest_first` (the default) or `oldest_first`, to
            read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PageConnectionOut
    """

    return sync_detailed(
        client=client,
        customer_id=customer_id,
        limit=limit,
        cursor=cursor,
        order=order,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    customer_id: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListConnectionsOrder | Unset = UNSET,
) -> Response[ErrorBody | PageConnectionOut]:
    """List connections

    Args:
        customer_id (str | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListConnectionsOrder | Unset): `newest_first` (the default) or `oldest_first`, to
            read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PageConnectionOut]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        limit=limit,
        cursor=cursor,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    customer_id: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListConnectionsOrder | Unset = UNSET,
) -> ErrorBody | PageConnectionOut | None:
    """List connections

    Args:
        customer_id (str | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListConnectionsOrder | Unset): `newest_first` (the default) or `oldest_first`, to
            read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PageConnectionOut
    """

    return (
        await asyncio_detailed(
            client=client,
            customer_id=customer_id,
            limit=limit,
            cursor=cursor,
            order=order,
        )
    ).parsed
