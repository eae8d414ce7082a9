from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.command_page import CommandPage
from ...models.error_body import ErrorBody
from ...models.list_device_commands_order import ListDeviceCommandsOrder
from ...models.list_device_commands_status import ListDeviceCommandsStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    device_id: str,
    *,
    status: ListDeviceCommandsStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDeviceCommandsOrder | Unset = UNSET,
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
        "url": "/v1/devices/{device_id}/commands".format(
            device_id=quote(str(device_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CommandPage | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CommandPage.from_dict(response.json())

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
) -> Response[CommandPage | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    device_id: str,
    *,
    client: AuthenticatedClient,
    status: ListDeviceCommandsStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDeviceCommandsOrder | Unset = UNSET,
) -> Response[CommandPage | ErrorBody]:
    """List a device's commands

    Args:
        device_id (str):
        status (ListDeviceCommandsStatus | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListDeviceCommandsOrder | Unset): `newest_first` (the default) or `oldest_first`,
            to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandPage | ErrorBody]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
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
    device_id: str,
    *,
    client: AuthenticatedClient,
    status: ListDeviceCommandsStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDeviceCommandsOrder | Unset = UNSET,
) -> CommandPage | ErrorBody | None:
    """List a device's commands

    Args:
        device_id (str):
        status (ListDeviceCommandsStatus | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListDeviceCommandsOrder | Unset): `newest_first` (the default) or `oldest_first`,
            to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandPage | ErrorBody
    """

    return sync_detailed(
        device_id=device_id,
        client=client,
        status=status,
        limit=limit,
        cursor=cursor,
        order=order,
    ).parsed


async def asyncio_detailed(
    device_id: str,
    *,
    client: AuthenticatedClient,
    status: ListDeviceCommandsStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDeviceCommandsOrder | Unset = UNSET,
) -> Response[CommandPage | ErrorBody]:
    """List a device's commands

    Args:
        device_id (str):
        status (ListDeviceCommandsStatus | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListDeviceCommandsOrder | Unset): `newest_first` (the default) or `oldest_first`,
            to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandPage | ErrorBody]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        status=status,
        limit=limit,
        cursor=cursor,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    device_id: str,
    *,
    client: AuthenticatedClient,
    status: ListDeviceCommandsStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    order: ListDeviceCommandsOrder | Unset = UNSET,
) -> CommandPage | ErrorBody | None:
    """List a device's commands

    Args:
        device_id (str):
        status (ListDeviceCommandsStatus | Unset):
        limit (int | Unset): Items per page, newest first (see `order`) Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page: the rows past it, in that page's
            order (newest first)
        order (ListDeviceCommandsOrder | Unset): `newest_first` (the default) or `oldest_first`,
            to read forwards, e.g. to catch up

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandPage | ErrorBody
    """

    return (
        await asyncio_detailed(
            device_id=device_id,
            client=client,
            status=status,
            limit=limit,
            cursor=cursor,
            order=order,
        )
    ).parsed
