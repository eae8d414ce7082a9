from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_page import DevicePage
from ...models.device_status import DeviceStatus
from ...models.error_body import ErrorBody
from ...models.list_devices_order import ListDevicesOrder
from ...models.list_devices_type import ListDevicesType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    customer_id: str | Unset = UNSET,
    connection_id: str | Unset = UNSET,
    type_: ListDevicesType | Unset = UNSET,
    status: DeviceStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDevicesOrder | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["customer_id"] = customer_id

    params["connection_id"] = connection_id

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_.value

    params["type"] = json_type_

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
    customer_id: str | Unset = UNSET,
    connection_id: str | Unset = UNSET,
    type_: ListDevicesType | Unset = UNSET,
    status: DeviceStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDevicesOrder | Unset = UNSET,
) -> Response[DevicePage | ErrorBody]:
    """List devices

    Args:
        customer_id (str | Unset):
        connection_id (str | Unset):
        type_ (ListDevicesType | Unset):
        status (DeviceStatus | Unset): `removed`: Tesla no longer lists the device on the account
            (or the connection was deleted); it comes back
            `active`, with the same id, when it is listed again.
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListDevicesOrder | Unset): `newest_first` (the default) or `oldest_first`, to read
            forwards, e.g. to catch up

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
    customer_id: str | Unset = UNSET,
    connection_id: str | Unset = UNSET,
    type_: ListDevicesType | Unset = UNSET,
    status: DeviceStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDevicesOrder | Unset = UNSET,
) -> DevicePage | ErrorBody | None:
    """List devices

    Args:
        customer_id (str | Unset):
        connection_id (str | Unset):
        type_ (ListDevicesType | Unset):
        status (DeviceStatus | Unset): `removed`: Tesla no longer lists the device on the account
            (or the connection was deleted); it comes back
            `active`, with the same id, when it is listed again.
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListDevicesOrder | Unset): `newest_first` (the default) or `oldest_first`, to read
            forwards, e.g. to catch up

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
    customer_id: str | Unset = UNSET,
    connection_id: str | Unset = UNSET,
    type_: ListDevicesType | Unset = UNSET,
    status: DeviceStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDevicesOrder | Unset = UNSET,
) -> Response[DevicePage | ErrorBody]:
    """List devices

    Args:
        customer_id (str | Unset):
        connection_id (str | Unset):
        type_ (ListDevicesType | Unset):
        status (DeviceStatus | Unset): `removed`: Tesla no longer lists the device on the account
            (or the connection was deleted); it comes back
            `active`, with the same id, when it is listed again.
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListDevicesOrder | Unset): `newest_first` (the default) or `oldest_first`, to read
            forwards, e.g. to catch up

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
    customer_id: str | Unset = UNSET,
    connection_id: str | Unset = UNSET,
    type_: ListDevicesType | Unset = UNSET,
    status: DeviceStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDevicesOrder | Unset = UNSET,
) -> DevicePage | ErrorBody | None:
    """List devices

    Args:
        customer_id (str | Unset):
        connection_id (str | Unset):
        type_ (ListDevicesType | Unset):
        status (DeviceStatus | Unset): `removed`: Tesla no longer lists the device on the account
            (or the connection was deleted); it comes back
            `active`, with the same id, when it is listed again.
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListDevicesOrder | Unset): `newest_first` (the default) or `oldest_first`, to read
            forwards, e.g. to catch up

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
