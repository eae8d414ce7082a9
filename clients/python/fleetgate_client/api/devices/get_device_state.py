from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.energy_site_state_out import EnergySiteStateOut
from ...models.error_body import ErrorBody
from ...models.vehicle_asleep_body import VehicleAsleepBody
from ...models.vehicle_state_out import VehicleStateOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    device_id: str,
    *,
    max_age: float | Unset = 60.0,
    wake: bool | Unset = False,
    raw: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["max_age"] = max_age

    params["wake"] = wake

    params["raw"] = raw

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/devices/{device_id}/state".format(
            device_id=quote(str(device_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> EnergySiteStateOut | VehicleStateOut:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = VehicleStateOut.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = EnergySiteStateOut.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

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
        response_409 = VehicleAsleepBody.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = ErrorBody.from_dict(response.json())

        return response_410

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 502:
        response_502 = ErrorBody.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = VehicleAsleepBody.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody]:
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
    max_age: float | Unset = 60.0,
    wake: bool | Unset = False,
    raw: bool | Unset = False,
) -> Response[EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody]:
    """Read a device's state

     The normalised state of a vehicle or energy site. Served from the stored state when it is younger
    than `max_age` seconds; otherwise read from Tesla, once however many requests ask at the same time.
    A vehicle that is asleep or offline is not woken unless `wake=true` (a wake is billed and costs the
    car battery).

    Args:
        device_id (str):
        max_age (float | Unset): Oldest acceptable state, in seconds; 0 reads from Tesla Default:
            60.0.
        wake (bool | Unset): Wake a sleeping vehicle to read it (a billed wake, and battery)
            Default: False.
        raw (bool | Unset): Include Tesla's payloads as received Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        max_age=max_age,
        wake=wake,
        raw=raw,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    device_id: str,
    *,
    client: AuthenticatedClient,
    max_age: float | Unset = 60.0,
    wake: bool | Unset = False,
    raw: bool | Unset = False,
) -> EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody | None:
    """Read a device's state

     The normalised state of a vehicle or energy site. Served from the stored state when it is younger
    than `max_age` seconds; otherwise read from Tesla, once however many requests ask at the same time.
    A vehicle that is asleep or offline is not woken unless `wake=true` (a wake is billed and costs the
    car battery).

    Args:
        device_id (str):
        max_age (float | Unset): Oldest acceptable state, in seconds; 0 reads from Tesla Default:
            60.0.
        wake (bool | Unset): Wake a sleeping vehicle to read it (a billed wake, and battery)
            Default: False.
        raw (bool | Unset): Include Tesla's payloads as received Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody
    """

    return sync_detailed(
        device_id=device_id,
        client=client,
        max_age=max_age,
        wake=wake,
        raw=raw,
    ).parsed


async def asyncio_detailed(
    device_id: str,
    *,
    client: AuthenticatedClient,
    max_age: float | Unset = 60.0,
    wake: bool | Unset = False,
    raw: bool | Unset = False,
) -> Response[EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody]:
    """Read a device's state

     The normalised state of a vehicle or energy site. Served from the stored state when it is younger
    than `max_age` seconds; otherwise read from Tesla, once however many requests ask at the same time.
    A vehicle that is asleep or offline is not woken unless `wake=true` (a wake is billed and costs the
    car battery).

    Args:
        device_id (str):
        max_age (float | Unset): Oldest acceptable state, in seconds; 0 reads from Tesla Default:
            60.0.
        wake (bool | Unset): Wake a sleeping vehicle to read it (a billed wake, and battery)
            Default: False.
        raw (bool | Unset): Include Tesla's payloads as received Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        max_age=max_age,
        wake=wake,
        raw=raw,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    device_id: str,
    *,
    client: AuthenticatedClient,
    max_age: float | Unset = 60.0,
    wake: bool | Unset = False,
    raw: bool | Unset = False,
) -> EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody | None:
    """Read a device's state

     The normalised state of a vehicle or energy site. Served from the stored state when it is younger
    than `max_age` seconds; otherwise read from Tesla, once however many requests ask at the same time.
    A vehicle that is asleep or offline is not woken unless `wake=true` (a wake is billed and costs the
    car battery).

    Args:
        device_id (str):
        max_age (float | Unset): Oldest acceptable state, in seconds; 0 reads from Tesla Default:
            60.0.
        wake (bool | Unset): Wake a sleeping vehicle to read it (a billed wake, and battery)
            Default: False.
        raw (bool | Unset): Include Tesla's payloads as received Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnergySiteStateOut | VehicleStateOut | ErrorBody | VehicleAsleepBody
    """

    return (
        await asyncio_detailed(
            device_id=device_id,
            client=client,
            max_age=max_age,
            wake=wake,
            raw=raw,
        )
    ).parsed
