from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.workspace_budget_in import WorkspaceBudgetIn
from ...models.workspace_budget_out import WorkspaceBudgetOut
from ...types import Response


def _get_kwargs(
    *,
    body: WorkspaceBudgetIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/workspace/telemetry-budget",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | WorkspaceBudgetOut | None:
    if response.status_code == 200:
        response_200 = WorkspaceBudgetOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

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
) -> Response[ErrorBody | WorkspaceBudgetOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WorkspaceBudgetIn,
) -> Response[ErrorBody | WorkspaceBudgetOut]:
    """Set the signals a day all the workspace's vehicles may stream together

     Once a day's budget is spent, fleetgate removes every streaming vehicle's config at Tesla until the
    next day (UTC), as with a device's own budget; null removes the budget.

    Args:
        body (WorkspaceBudgetIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WorkspaceBudgetOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: WorkspaceBudgetIn,
) -> ErrorBody | WorkspaceBudgetOut | None:
    """Set the signals a day all the workspace's vehicles may stream together

     Once a day's budget is spent, fleetgate removes every streaming vehicle's config at Tesla until the
    next day (UTC), as with a device's own budget; null removes the budget.

    Args:
        body (WorkspaceBudgetIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WorkspaceBudgetOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WorkspaceBudgetIn,
) -> Response[ErrorBody | WorkspaceBudgetOut]:
    """Set the signals a day all the workspace's vehicles may stream together

     Once a day's budget is spent, fleetgate removes every streaming vehicle's config at Tesla until the
    next day (UTC), as with a device's own budget; null removes the budget.

    Args:
        body (WorkspaceBudgetIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WorkspaceBudgetOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WorkspaceBudgetIn,
) -> ErrorBody | WorkspaceBudgetOut | None:
    """Set the signals a day all the workspace's vehicles may stream together

     Once a day's budget is spent, fleetgate removes every streaming vehicle's config at Tesla until the
    next day (UTC), as with a device's own budget; null removes the budget.

    Args:
        body (WorkspaceBudgetIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WorkspaceBudgetOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
