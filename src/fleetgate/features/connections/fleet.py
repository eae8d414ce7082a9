"""Calling the Fleet API for a connection: its token source and region, its usage ledger and budgets.

Services call Tesla inside `fleet_api` and let Tesla's typed errors out (the connect callback, say, decides for
itself what a failed discovery means); `LoginRequired` first marks the connection `needs_reconnect`, committed on
its own. Routes wrap services in `tesla_errors.upstream_errors`, which turns what escapes into API errors.

Every call made through `fleet_api` is recorded in the usage ledger and held to the device's budget (Tesla's rate
limits, on our side): see `usage.ledger`. A call over budget raises `RateLimited` before Tesla is asked.

    async with upstream_errors(runtime, session, connection):
        async with fleet_api(runtime, session, connection) as api:
            products = await api.products()
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connections.errors import needs_reconnect_error, revoked_error
from fleetgate.features.connections.events import record_connection_event
from fleetgate.features.connections.remedies import connection_remedies
from fleetgate.features.connections.row_lock import locked_connection, mirror
from fleetgate.features.connections.tokens import ConnectionTokens, reconnect_reason
from fleetgate.features.events.types import CONNECTION_NEEDS_RECONNECT, CONNECTION_UPDATED
from fleetgate.features.usage.ledger import Meter, Rider
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection, Device
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla import errors as tesla
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import REGION_BY_NAME, Region
from fleetgate.tesla.fleet import FleetSession, tesla_timeout


def remedies_of(runtime: Runtime, connection: Connection) -> dict[str, str]:
    return connection_remedies(runtime, connection.id)


def ensure_usable(runtime: Runtime, connection: Connection) -> None:
    """Refuses, before any upstream call, a connection that cannot reach Tesla."""
    if connection.status == ConnectionStatus.ACTIVE and connection.access_token_enc is not None:
        return
    if connection.status == ConnectionStatus.NEEDS_RECONNECT:
        raise needs_reconnect_error(connection.id, connection.status_reason, remedies_of(runtime, connection))
    raise revoked_error(connection.id, remedies_of(runtime, connection))


def metered_session(
    runtime: Runtime,
    session: AsyncSession | None,
    connection: Connection,
    devices: Iterable[Device] = (),
    rider: Rider | None = None,
) -> tuple[FleetSession, Meter]:
    """`session` is the caller's transaction, if any (see `row_lock` for why the token source and the ledger need
    it). The meter records every call in the usage ledger and keeps the devices' budgets (see `usage.ledger`)."""

    async def on_region_change(region: Region) -> None:
        await save_region(runtime, session, connection, region)

    meter = Meter(runtime, connection, session, devices=devices, rider=rider)
    fleet = FleetSession(
        runtime.tesla_http,
        runtime.endpoints,
        ConnectionTokens(runtime, connection, session),
        REGION_BY_NAME.get(connection.region, "na"),
        on_region_change=on_region_change,
        on_response=meter.on_response,
        on_unsent=meter.on_unsent,
        timeout=tesla_timeout(runtime.settings.tesla_timeout_seconds),
        before_request=meter.before_request,
    )
    return fleet, meter


@asynccontextmanager
async def fleet_api(
    runtime: Runtime,
    session: AsyncSession | None,
    connection: Connection,
    devices: Iterable[Device] = (),
    *,
    unsettled: list[Meter] | None = None,
    rider: Rider | None = None,
) -> AsyncIterator[FleetApi]:
    """Every call made through the api is in the usage ledger when the block ends, however it ends; with
    `unsettled`, their answers are not written yet: the meter is added to it for the caller to write them in its
    next transaction (`Meter.write_in`) or on their own (`Meter.settle`). `devices`: the ones the calls are about,
    when the caller has them (the ledger then need not look them up). `rider`: written in each call's reservation
    (see `usage.ledger.Meter`)."""
    ensure_usable(runtime, connection)
    fleet, meter = metered_session(runtime, session, connection, devices, rider)
    try:
        try:
            yield FleetApi(fleet)
        except tesla.LoginRequired as exc:
            await mark_needs_reconnect(runtime, session, connection, exc)
            raise
    except BaseException as exc:
        await _settle_or_hand_over(meter, unsettled, exc)
        raise
    await _settle_or_hand_over(meter, unsettled, None)


async def _settle_or_hand_over(meter: Meter, unsettled: list[Meter] | None, error: BaseException | None) -> None:
    if unsettled is None or isinstance(error, asyncio.CancelledError):
        await meter.settle(error)
    else:
        meter.end(error)
        unsettled.append(meter)


async def mark_needs_reconnect(
    runtime: Runtime, session: AsyncSession | None, connection: Connection, error: tesla.LoginRequired
) -> None:
    """Committed on its own, with its event: the request that found out will answer with an error and roll back."""
    if connection.status != ConnectionStatus.ACTIVE:
        return  # already marked (by the refresh that found out, or by another request)
    async with locked_connection(runtime, connection.id, session) as locked:
        row = locked.row
        if row is None:
            return
        if row.status == ConnectionStatus.ACTIVE:
            row.status = ConnectionStatus.NEEDS_RECONNECT
            row.status_reason = reconnect_reason(error)
            row.updated_at = utcnow()
            await locked.session.flush()
            await record_connection_event(locked.session, runtime, CONNECTION_NEEDS_RECONNECT, row)
        await locked.commit()
        mirror(row, connection)


async def save_region(runtime: Runtime, session: AsyncSession | None, connection: Connection, region: Region) -> None:
    """Tesla said (421) the user lives in another region: every later call goes there first."""
    async with locked_connection(runtime, connection.id, session) as locked:
        row = locked.row
        if row is None:
            return
        if row.region != region:
            row.region = region
            row.updated_at = utcnow()
            await locked.session.flush()
            await record_connection_event(locked.session, runtime, CONNECTION_UPDATED, row)
        await locked.commit()
        mirror(row, connection)
