import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.usage_out import UsageOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    connection_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["connection_id"] = connection_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | UsageOut | None:
    if response.status_code == 200:
        response_200 = UsageOut.from_dict(response.json())

        return response_200

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
) -> Response[ErrorBody | UsageOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    connection_id: str | Unset = UNSET,
) -> Response[ErrorBody | UsageOut]:
    """Read Fleet API usage and its cost

     Calls to Tesla's Fleet API made for this workspace, by Tesla's billing category (data, commands,
    wakes),
    with their estimated cost at Tesla's prices, per connection and device. Tesla's $10 monthly credit
    is not
    subtracted.

    Args:
        from_ (datetime.datetime | Unset): Included; default: 00:00 UTC on the 1st of the month
            `to` ends
        to (datetime.datetime | Unset): Excluded; default: now
        connection_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | UsageOut]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        connection_id=connection_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    connection_id: str | Unset = UNSET,
) -> ErrorBody | UsageOut | None:
    """Read Fleet API usage and its cost

     Calls to Tesla's Fleet API made for this workspace, by Tesla's billing category (data, commands,
    wakes),
    with their estimated cost at Tesla's prices, per connection and device. Tesla's $10 monthly credit
    is not
    subtracted.

    Args:
        from_ (datetime.datetime | Unset): Included; default: 00:00 UTC on the 1st of the month
            `to` ends
        to (datetime.datetime | Unset): Excluded; default: now
        connection_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | UsageOut
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        connection_id=connection_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    connection_id: str | Unset = UNSET,
) -> Response[ErrorBody | UsageOut]:
    """Read Fleet API usage and its cost

     Calls to Tesla's Fleet API made for this workspace, by Tesla's billing category (data, commands,
    wakes),
    with their estimated cost at Tesla's prices, per connection and device. Tesla's $10 monthly credit
    is not
    subtracted.

    Args:
        from_ (datetime.datetime | Unset): Included; default: 00:00 UTC on the 1st of the month
            `to` ends
        to (datetime.datetime | Unset): Excluded; default: now
        connection_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | UsageOut]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        connection_id=connection_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    connection_id: str | Unset = UNSET,
) -> ErrorBody | UsageOut | None:
    """Read Fleet API usage and its cost

     Calls to Tesla's Fleet API made for this workspace, by Tesla's billing category (data, commands,
    wakes),
    with their estimated cost at Tesla's prices, per connection and device. Tesla's $10 monthly credit
    is not
    subtracted.

    Args:
        from_ (datetime.datetime | Unset): Included; default: 00:00 UTC on the 1st of the month
            `to` ends
        to (datetime.datetime | Unset): Excluded; default: now
        connection_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | UsageOut
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            connection_id=connection_id,
        )
    ).parsed
