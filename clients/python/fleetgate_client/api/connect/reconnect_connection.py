from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.connect_session_out import ConnectSessionOut
from ...models.error_body import ErrorBody
from ...models.reconnect_in import ReconnectIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    connection_id: str,
    *,
    body: None | ReconnectIn | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/connections/{connection_id}/reconnect".format(
            connection_id=quote(str(connection_id), safe=""),
        ),
    }

    if isinstance(body, ReconnectIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConnectSessionOut | ErrorBody | None:
    if response.status_code == 201:
        response_201 = ConnectSessionOut.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

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
) -> Response[ConnectSessionOut | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    connection_id: str,
    *,
    client: AuthenticatedClient,
    body: None | ReconnectIn | Unset = UNSET,
) -> Response[ConnectSessionOut | ErrorBody]:
    """Create a connect session that reconnects a connection

     A connect session that asks the user again (Tesla prompts for the scopes not granted yet);
    completing it
    updates this connection.

    Args:
        connection_id (str):
        body (None | ReconnectIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectSessionOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        connection_id=connection_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    connection_id: str,
    *,
    client: AuthenticatedClient,
    body: None | ReconnectIn | Unset = UNSET,
) -> ConnectSessionOut | ErrorBody | None:
    """Create a connect session that reconnects a connection

     A connect session that asks the user again (Tesla prompts for the scopes not granted yet);
    completing it
    updates this connection.

    Args:
        connection_id (str):
        body (None | ReconnectIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectSessionOut | ErrorBody
    """

    return sync_detailed(
        connection_id=connection_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    connection_id: str,
    *,
    client: AuthenticatedClient,
    body: None | ReconnectIn | Unset = UNSET,
) -> Response[ConnectSessionOut | ErrorBody]:
    """Create a connect session that reconnects a connection

     A connect session that asks the user again (Tesla prompts for the scopes not granted yet);
    completing it
    updates this connection.

    Args:
        connection_id (str):
        body (None | ReconnectIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectSessionOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        connection_id=connection_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    connection_id: str,
    *,
    client: AuthenticatedClient,
    body: None | ReconnectIn | Unset = UNSET,
) -> ConnectSessionOut | ErrorBody | None:
    """Create a connect session that reconnects a connection

     A connect session that asks the user again (Tesla prompts for the scopes not granted yet);
    completing it
    updates this connection.

    Args:
        connection_id (str):
        body (None | ReconnectIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectSessionOut | ErrorBody
    """

    return (
        await asyncio_detailed(
            connection_id=connection_id,
            client=client,
            body=body,
        )
    ).parsed
