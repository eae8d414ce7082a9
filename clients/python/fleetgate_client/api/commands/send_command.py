from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.command_in import CommandIn
from ...models.command_out import CommandOut
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    device_id: str,
    *,
    body: CommandIn,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/devices/{device_id}/commands".format(
            device_id=quote(str(device_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CommandOut | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CommandOut.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = CommandOut.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = ErrorBody.from_dict(response.json())

        return response_410

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())

        return response_415

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
) -> Response[CommandOut | ErrorBody]:
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
    body: CommandIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CommandOut | ErrorBody]:
    """Send a command to a device

    Args:
        device_id (str):
        idempotency_key (None | str | Unset): Retrying with the same key and body answers the
            object the first request created (200), not a new one; the same key with another body is a
            409
        body (CommandIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    device_id: str,
    *,
    client: AuthenticatedClient,
    body: CommandIn,
    idempotency_key: None | str | Unset = UNSET,
) -> CommandOut | ErrorBody | None:
    """Send a command to a device

    Args:
        device_id (str):
        idempotency_key (None | str | Unset): Retrying with the same key and body answers the
            object the first request created (200), not a new one; the same key with another body is a
            409
        body (CommandIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandOut | ErrorBody
    """

    return sync_detailed(
        device_id=device_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    device_id: str,
    *,
    client: AuthenticatedClient,
    body: CommandIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CommandOut | ErrorBody]:
    """Send a command to a device

    Args:
        device_id (str):
        idempotency_key (None | str | Unset): Retrying with the same key and body answers the
            object the first request created (200), not a new one; the same key with another body is a
            409
        body (CommandIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    device_id: str,
    *,
    client: AuthenticatedClient,
    body: CommandIn,
    idempotency_key: None | str | Unset = UNSET,
) -> CommandOut | ErrorBody | None:
    """Send a command to a device

    Args:
        device_id (str):
        idempotency_key (None | str | Unset): Retrying with the same key and body answers the
            object the first request created (200), not a new one; the same key with another body is a
            409
        body (CommandIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandOut | ErrorBody
    """

    return (
        await asyncio_detailed(
            device_id=device_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
