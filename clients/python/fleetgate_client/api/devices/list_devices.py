from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_page import DevicePage
from ...models.device_status import DeviceStatus
from ...models.error_body import ErrorBody
from ...models.list_devices_order_type_0 import ListDevicesOrderType0
from ...models.list_devices_type_type_0 import ListDevicesTypeType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    customer_id: None | str | Unset = UNSET,
    connection_id: None | str | Unset = UNSET,
    type_: ListDevicesTypeType0 | None | Unset = UNSET,
    status: DeviceStatus | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListDevicesOrderType0 | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_customer_id: None | str | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_connection_id: None | str | Unset
    if isinstance(connection_id, Unset):
        json_connection_id = UNSET
    else:
        json_connection_id = connection_id
    params["connection_id"] = json_connection_id

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, ListDevicesTypeType0):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, DeviceStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_order: None | str | Unset
    if isinstance(order, Unset):
        json_order = UNSET
    elif isinstance(order, ListDevicesOrderType0):
        json_order = order.value
    else:
        json_order = order
    params["order"] = json_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/devices",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DevicePage | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DevicePage.from_dict(response.json())

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
) -> Response[DevicePage | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    customer_id: None | str | Unset = UNSET,
    connection_id: None | str | Unset = UNSET,
    type_: ListDevicesTypeType0 | None | Unset = UNSET,
    status: DeviceStatus | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListDevicesOrderType0 | None | Unset = UNSET,
) -> Response[DevicePage | ErrorBody]:
    """List devices

    Args:
        customer_id (None | str | Unset):
        connection_id (None | str | Unset):
        type_ (ListDevicesTypeType0 | None | Unset):
        status (DeviceStatus | None | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page: the rows past it, in that
            page's order (newest first)
        order (ListDevicesOrderType0 | None | Unset): `newest_first` (the default) or
            `oldest_first`, to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DevicePage | ErrorBody]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        connection_id=connection_id,
        type_=type_,
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
    *,
    client: AuthenticatedClient,
    customer_id: None | str | Unset = UNSET,
    connection_id: None | str | Unset = UNSET,
    type_: ListDevicesTypeType0 | None | Unset = UNSET,
    status: DeviceStatus | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListDevicesOrderType0 | None | Unset = UNSET,
) -> DevicePage | ErrorBody | None:
    """List devices

    Args:
        customer_id (None | str | Unset):
        connection_id (None | str | Unset):
        type_ (ListDevicesTypeType0 | None | Unset):
        status (DeviceStatus | None | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page: the rows past it, in that
            page's order (newest first)
        order (ListDevicesOrderType0 | None | Unset): `newest_first` (the default) or
            `oldest_first`, to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DevicePage | ErrorBody
    """

    return sync_detailed(
        client=client,
        customer_id=customer_id,
        connection_id=connection_id,
        type_=type_,
        status=status,
        limit=limit,
        cursor=cursor,
        order=order,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    customer_id: None | str | Unset = UNSET,
    connection_id: None | str | Unset = UNSET,
    type_: ListDevicesTypeType0 | None | Unset = UNSET,
    status: DeviceStatus | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListDevicesOrderType0 | None | Unset = UNSET,
) -> Response[DevicePage | ErrorBody]:
    """List devices

    Args:
        customer_id (None | str | Unset):
        connection_id (None | str | Unset):
        type_ (ListDevicesTypeType0 | None | Unset):
        status (DeviceStatus | None | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page: the rows past it, in that
            page's order (newest first)
        order (ListDevicesOrderType0 | None | Unset): `newest_first` (the default) or
            `oldest_first`, to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DevicePage | ErrorBody]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        connection_id=connection_id,
        type_=type_,
        status=status,
        limit=limit,
        cursor=cursor,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    customer_id: None | str | Unset = UNSET,
    connection_id: None | str | Unset = UNSET,
    type_: ListDevicesTypeType0 | None | Unset = UNSET,
    status: DeviceStatus | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListDevicesOrderType0 | None | Unset = UNSET,
) -> DevicePage | ErrorBody | None:
    """List devices

    Args:
        customer_id (None | str | Unset):
        connection_id (None | str | Unset):
        type_ (ListDevicesTypeType0 | None | Unset):
        status (DeviceStatus | None | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page: the rows past it, in that
            page's order (newest first)
        order (ListDevicesOrderType0 | None | Unset): `newest_first` (the default) or
            `oldest_first`, to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DevicePage | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            customer_id=customer_id,
            connection_id=connection_id,
            type_=type_,
            status=status,
            limit=limit,
            cursor=cursor,
            order=order,
        )
    ).parsed
