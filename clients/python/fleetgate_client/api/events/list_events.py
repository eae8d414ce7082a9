from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.event_page import EventPage
from ...models.list_events_order import ListEventsOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListEventsOrder | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["type"] = type_

    params["limit"] = limit

    params["cursor"] = cursor

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | EventPage | None:
    if response.status_code == 200:
        response_200 = EventPage.from_dict(response.json())

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
) -> Response[ErrorBody | EventPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    type_: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListEventsOrder | Unset = UNSET,
) -> Response[ErrorBody | EventPage]:
    """List events

     The workspace's events, newest first; `order=oldest_first` reads forwards, to catch up from where
    the last
    page ended.

    Args:
        type_ (str | Unset): An event type, `<category>.*` (e.g. `device.*`) or `*`
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListEventsOrder | Unset): `newest_first` (the default) or `oldest_first`, to read
            forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventPage]
    """

    kwargs = _get_kwargs(
        type_=type_,
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
    type_: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListEventsOrder | Unset = UNSET,
) -> ErrorBody | EventPage | None:
    """List events

     The workspace's events, newest first; `order=oldest_first` reads forwards, to catch up from where
    the last
    page ended.

    Args:
        type_ (str | Unset): An event type, `<category>.*` (e.g. `device.*`) or `*`
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListEventsOrder | Unset): `newest_first` (the default) or `oldest_first`, to read
            forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventPage
    """

    return sync_detailed(
        client=client,
        type_=type_,
        limit=limit,
        cursor=cursor,
        order=order,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    type_: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListEventsOrder | Unset = UNSET,
) -> Response[ErrorBody | EventPage]:
    """List events

     The workspace's events, newest first; `order=oldest_first` reads forwards, to catch up from where
    the last
    page ended.

    Args:
        type_ (str | Unset): An event type, `<category>.*` (e.g. `device.*`) or `*`
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListEventsOrder | Unset): `newest_first` (the default) or `oldest_first`, to read
            forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventPage]
    """

    kwargs = _get_kwargs(
        type_=type_,
        limit=limit,
        cursor=cursor,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    type_: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListEventsOrder | Unset = UNSET,
) -> ErrorBody | EventPage | None:
    """List events

     The workspace's events, newest first; `order=oldest_first` reads forwards, to catch up from where
    the last
    page ended.

    Args:
        type_ (str | Unset): An event type, `<category>.*` (e.g. `device.*`) or `*`
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListEventsOrder | Unset): `newest_first` (the default) or `oldest_first`, to read
            forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventPage
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            limit=limit,
            cursor=cursor,
            order=order,
        )
    ).parsed
