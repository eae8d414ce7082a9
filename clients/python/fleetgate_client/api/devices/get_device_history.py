from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.get_device_history_kind import GetDeviceHistoryKind
from ...models.get_device_history_period import GetDeviceHistoryPeriod
from ...models.history_out import HistoryOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    device_id: str,
    *,
    kind: GetDeviceHistoryKind | Unset = UNSET,
    period: GetDeviceHistoryPeriod | Unset = GetDeviceHistoryPeriod.DAY,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    time_zone: str | Unset = UNSET,
    max_age: float | Unset = 60.0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    json_period: str | Unset = UNSET
    if not isinstance(period, Unset):
        json_period = period.value

    params["period"] = json_period

    params["start"] = start

    params["end"] = end

    params["time_zone"] = time_zone

    params["max_age"] = max_age

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/devices/{device_id}/history".format(
            device_id=quote(str(device_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | HistoryOut | None:
    if response.status_code == 200:
        response_200 = HistoryOut.from_dict(response.json())

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
        response_409 = ErrorBody.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | HistoryOut]:
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
    kind: GetDeviceHistoryKind | Unset = UNSET,
    period: GetDeviceHistoryPeriod | Unset = GetDeviceHistoryPeriod.DAY,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    time_zone: str | Unset = UNSET,
    max_age: float | Unset = 60.0,
) -> Response[ErrorBody | HistoryOut]:
    """Read a device's history

     An energy site's energy flows (`kind=energy`: solar, battery, grid and home, in Wh per day, per
    month for a year) or grid outages (`kind=backup`), or a car's charging sessions (`kind=charging`),
    over a range cut in the device's time zone: the current `period` (day, ISO week, month, year) by
    default, or from `start` to `end` (dates, or date-times with an offset). A closed range (it ended
    before now) never changes: it is read from Tesla once and then served from storage; an open one
    (today, say) is served from storage while younger than `max_age` seconds. Each Tesla read is billed
    as data; a car's charging history does not wake it.

    Args:
        device_id (str):
        kind (GetDeviceHistoryKind | Unset): energy or backup for a site (default energy),
            charging for a car
        period (GetDeviceHistoryPeriod | Unset): The calendar span a range defaults to Default:
            GetDeviceHistoryPeriod.DAY.
        start (str | Unset): First day (2026-12-01) or moment (with its offset) of the range
        end (str | Unset): Last day of the range, counted in full, or the moment (with its offset)
            it ends before
        time_zone (str | Unset): IANA time zone to cut the range and days in; default the site's,
            UTC for a car
        max_age (float | Unset): Oldest acceptable read of an open range, in seconds; 0 asks Tesla
            Default: 60.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | HistoryOut]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        kind=kind,
        period=period,
        start=start,
        end=end,
        time_zone=time_zone,
        max_age=max_age,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    device_id: str,
    *,
    client: AuthenticatedClient,
    kind: GetDeviceHistoryKind | Unset = UNSET,
    period: GetDeviceHistoryPeriod | Unset = GetDeviceHistoryPeriod.DAY,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    time_zone: str | Unset = UNSET,
    max_age: float | Unset = 60.0,
) -> ErrorBody | HistoryOut | None:
    """Read a device's history

     An energy site's energy flows (`kind=energy`: solar, battery, grid and home, in Wh per day, per
    month for a year) or grid outages (`kind=backup`), or a car's charging sessions (`kind=charging`),
    over a range cut in the device's time zone: the current `period` (day, ISO week, month, year) by
    default, or from `start` to `end` (dates, or date-times with an offset). A closed range (it ended
    before now) never changes: it is read from Tesla once and then served from storage; an open one
    (today, say) is served from storage while younger than `max_age` seconds. Each Tesla read is billed
    as data; a car's charging history does not wake it.

    Args:
        device_id (str):
        kind (GetDeviceHistoryKind | Unset): energy or backup for a site (default energy),
            charging for a car
        period (GetDeviceHistoryPeriod | Unset): The calendar span a range defaults to Default:
            GetDeviceHistoryPeriod.DAY.
        start (str | Unset): First day (2026-12-01) or moment (with its offset) of the range
        end (str | Unset): Last day of the range, counted in full, or the moment (with its offset)
            it ends before
        time_zone (str | Unset): IANA time zone to cut the range and days in; default the site's,
            UTC for a car
        max_age (float | Unset): Oldest acceptable read of an open range, in seconds; 0 asks Tesla
            Default: 60.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | HistoryOut
    """

    return sync_detailed(
        device_id=device_id,
        client=client,
        kind=kind,
        period=period,
        start=start,
        end=end,
        time_zone=time_zone,
        max_age=max_age,
    ).parsed


async def asyncio_detailed(
    device_id: str,
    *,
    client: AuthenticatedClient,
    kind: GetDeviceHistoryKind | Unset = UNSET,
    period: GetDeviceHistoryPeriod | Unset = GetDeviceHistoryPeriod.DAY,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    time_zone: str | Unset = UNSET,
    max_age: float | Unset = 60.0,
) -> Response[ErrorBody | HistoryOut]:
    """Read a device's history

     An energy site's energy flows (`kind=energy`: solar, battery, grid and home, in Wh per day, per
    month for a year) or grid outages (`kind=backup`), or a car's charging sessions (`kind=charging`),
    over a range cut in the device's time zone: the current `period` (day, ISO week, month, year) by
    default, or from `start` to `end` (dates, or date-times with an offset). A closed range (it ended
    before now) never changes: it is read from Tesla once and then served from storage; an open one
    (today, say) is served from storage while younger than `max_age` seconds. Each Tesla read is billed
    as data; a car's charging history does not wake it.

    Args:
        device_id (str):
        kind (GetDeviceHistoryKind | Unset): energy or backup for a site (default energy),
            charging for a car
        period (GetDeviceHistoryPeriod | Unset): The calendar span a range defaults to Default:
            GetDeviceHistoryPeriod.DAY.
        start (str | Unset): First day (2026-12-01) or moment (with its offset) of the range
        end (str | Unset): Last day of the range, counted in full, or the moment (with its offset)
            it ends before
        time_zone (str | Unset): IANA time zone to cut the range and days in; default the site's,
            UTC for a car
        max_age (float | Unset): Oldest acceptable read of an open range, in seconds; 0 asks Tesla
            Default: 60.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | HistoryOut]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        kind=kind,
        period=period,
        start=start,
        end=end,
        time_zone=time_zone,
        max_age=max_age,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    device_id: str,
    *,
    client: AuthenticatedClient,
    kind: GetDeviceHistoryKind | Unset = UNSET,
    period: GetDeviceHistoryPeriod | Unset = GetDeviceHistoryPeriod.DAY,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    time_zone: str | Unset = UNSET,
    max_age: float | Unset = 60.0,
) -> ErrorBody | HistoryOut | None:
    """Read a device's history

     An energy site's energy flows (`kind=energy`: solar, battery, grid and home, in Wh per day, per
    month for a year) or grid outages (`kind=backup`), or a car's charging sessions (`kind=charging`),
    over a range cut in the device's time zone: the current `period` (day, ISO week, month, year) by
    default, or from `start` to `end` (dates, or date-times with an offset). A closed range (it ended
    before now) never changes: it is read from Tesla once and then served from storage; an open one
    (today, say) is served from storage while younger than `max_age` seconds. Each Tesla read is billed
    as data; a car's charging history does not wake it.

    Args:
        device_id (str):
        kind (GetDeviceHistoryKind | Unset): energy or backup for a site (default energy),
            charging for a car
        period (GetDeviceHistoryPeriod | Unset): The calendar span a range defaults to Default:
            GetDeviceHistoryPeriod.DAY.
        start (str | Unset): First day (2026-12-01) or moment (with its offset) of the range
        end (str | Unset): Last day of the range, counted in full, or the moment (with its offset)
            it ends before
        time_zone (str | Unset): IANA time zone to cut the range and days in; default the site's,
            UTC for a car
        max_age (float | Unset): Oldest acceptable read of an open range, in seconds; 0 asks Tesla
            Default: 60.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | HistoryOut
    """

    return (
        await asyncio_detailed(
            device_id=device_id,
            client=client,
            kind=kind,
            period=period,
            start=start,
            end=end,
            time_zone=time_zone,
            max_age=max_age,
        )
    ).parsed
