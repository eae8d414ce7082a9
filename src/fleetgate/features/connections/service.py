"""Connections: linking a Tesla account from a completed consent, status changes, deletion."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import ACCESS_NAMES
from fleetgate.features.connections.events import record_connection_event
from fleetgate.features.connections.fleet import ensure_usable, mark_needs_reconnect
from fleetgate.features.connections.row_lock import mark_written
from fleetgate.features.connections.status import ACTIVE, REVOKED
from fleetgate.features.connections.token_storage import forget_tokens, store_tokens
from fleetgate.features.connections.tokens import ConnectionTokens, forget_connection
from fleetgate.features.connections.views import connection_out as connection_out
from fleetgate.features.devices.discovery import REMOVED, SyncReport, sync_devices
from fleetgate.features.devices.events import record_device_event
from fleetgate.features.events.types import CONNECTION_CREATED, CONNECTION_REVOKED, CONNECTION_UPDATED, DEVICE_REMOVED
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.errors import NotFound
from fleetgate.infra.models import Connection, Device
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.tesla.errors import LoginRequired
from fleetgate.tesla.oauth import TokenSet


class DifferentTeslaAccount(Exception):
    """A reconnect was completed with another Tesla account than the connection's."""


def merged_access(*groups: Iterable[str]) -> list[str]:
    """The union, in catalogue order; names this version does not know are dropped."""
    wanted = {name for group in groups for name in group}
    return [name for name in ACCESS_NAMES if name in wanted]


async def link_connection(
    session: AsyncSession,
    runtime: Runtime,
    *,
    workspace_id: str,
    customer_id: str,
    tokens: TokenSet,
    requested_access: list[str],
    connection_id: str | None,
) -> Connection:
    """Creates the connection (or updates `connection_id` on a reconnect, or the customer's existing connection to
    the same Tesla account): encrypted tokens, region and granted scopes from the token's claims, status active."""
    claims = tokens.claims
    if not claims.subject:
        raise ValueError("the access token names no Tesla account (no `sub` claim)")
    if connection_id is not None:
        connection = await session.get(Connection, connection_id)
        if connection is None or connection.workspace_id != workspace_id or connection.customer_id != customer_id:
            raise NotFound(f"No connection {connection_id} for customer {customer_id}.")
        if connection.tesla_subject != claims.subject:
            raise DifferentTeslaAccount(
                f"Connection {connection_id} belongs to another Tesla account than the one that just signed in."
            )
    else:
        query = select(Connection).where(
            Connection.workspace_id == workspace_id,
            Connection.customer_id == customer_id,
            Connection.tesla_subject == claims.subject,
        )
        connection = await session.scalar(query)
    now = utcnow()
    created = connection is None
    if connection is None:
        connection = Connection(
            id=new_id("conn"),
            workspace_id=workspace_id,
            customer_id=customer_id,
            tesla_subject=claims.subject,
            granted_scopes=[],
            requested_access=[],
            token_version=0,
            created_at=now,
        )
        session.add(connection)
    connection.region = runtime.endpoints.region_from_claims(claims.ou_code, claims.audience)
    connection.status = ACTIVE
    connection.status_reason = None
    connection.revoked_at = None
    connection.requested_access = merged_access(connection.requested_access or [], requested_access)
    store_tokens(connection, tokens, runtime.encryptor)
    connection.refreshed_at = now
    await session.flush()
    mark_written(session, connection.id)
    await record_connection_event(session, runtime, CONNECTION_CREATED if created else CONNECTION_UPDATED, connection)
    return connection


async def get_connection(session: AsyncSession, workspace_id: str, connection_id: str) -> Connection:
    connection = await session.get(Connection, connection_id)
    if connection is None or connection.workspace_id != workspace_id:
        raise NotFound(f"No connection {connection_id}.")
    return connection


def list_query(workspace_id: str, customer_id: str | None = None) -> Select[Connection]:
    query = select(Connection).where(Connection.workspace_id == workspace_id)
    if customer_id is not None:
        query = query.where(Connection.customer_id == customer_id)
    return query


async def sync_connection(session: AsyncSession, runtime: Runtime, connection: Connection) -> SyncReport:
    """A fresh access token first (scopes the user changed on Tesla's side arrive in it), then the devices."""
    ensure_usable(runtime, connection)
    try:
        await ConnectionTokens(runtime, connection, session).refresh_now()
    except LoginRequired as exc:
        await mark_needs_reconnect(runtime, session, connection, exc)
        raise
    return await sync_devices(session, runtime, connection)


async def delete_connection(session: AsyncSession, runtime: Runtime, connection: Connection) -> Connection:
    """Forgets the tokens and marks the devices removed. Deleting again changes nothing."""
    if connection.status == REVOKED and connection.access_token_enc is None:
        return connection
    now = utcnow()
    forget_tokens(connection)
    connection.status = REVOKED
    connection.status_reason = "Disconnected by the application; its Tesla tokens were erased."
    connection.revoked_at = now
    connection.updated_at = now
    query = select(Device).where(Device.connection_id == connection.id, Device.status != REMOVED)
    removed = list((await session.scalars(query.order_by(Device.created_at, Device.id))).all())
    for device in removed:
        device.status = REMOVED
        device.removed_at = now
        device.updated_at = now
    await session.flush()
    mark_written(session, connection.id)
    forget_connection(runtime, connection.id)
    await record_connection_event(session, runtime, CONNECTION_REVOKED, connection)
    for device in removed:
        await record_device_event(session, runtime, DEVICE_REMOVED, device, connection)
    return connection


async def devices_of(session: AsyncSession, connection: Connection) -> list[Device]:
    query = select(Device).where(Device.connection_id == connection.id).order_by(Device.created_at, Device.id)
    return list((await session.scalars(query)).all())
