from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog import Catalog
from ...models.error_body import ErrorBody
from ...models.get_command_catalog_device_type import GetCommandCatalogDeviceType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    device_type: GetCommandCatalogDeviceType | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_device_type: str | Unset = UNSET
    if not isinstance(device_type, Unset):
        json_device_type = device_type.value

    params["device_type"] = json_device_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/commands/catalog",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Catalog | ErrorBody | None:
    if response.status_code == 200:
        response_200 = Catalog.from_dict(response.json())

        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Catalog | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    device_type: GetCommandCatalogDeviceType | Unset = UNSET,
) -> Response[Catalog | ErrorBody]:
    """List the commands and their parameters

    Args:
        device_type (GetCommandCatalogDeviceType | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Catalog | ErrorBody]
    """

    kwargs = _get_kwargs(
        device_type=device_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    device_type: GetCommandCatalogDeviceType | Unset = UNSET,
) -> Catalog | ErrorBody | None:
    """List the commands and their parameters

    Args:
        device_type (GetCommandCatalogDeviceType | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Catalog | ErrorBody
    """

    return sync_detailed(
        client=client,
        device_type=device_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    device_type: GetCommandCatalogDeviceType | Unset = UNSET,
) -> Response[Catalog | ErrorBody]:
    """List the commands and their parameters

    Args:
        device_type (GetCommandCatalogDeviceType | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Catalog | ErrorBody]
    """

    kwargs = _get_kwargs(
        device_type=device_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    device_type: GetCommandCatalogDeviceType | Unset = UNSET,
) -> Catalog | ErrorBody | None:
    """List the commands and their parameters

    Args:
        device_type (GetCommandCatalogDeviceType | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Catalog | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            device_type=device_type,
        )
    ).parsed
