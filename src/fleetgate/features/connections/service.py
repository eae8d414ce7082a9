"""Connections: linking a Tesla account from a completed consent, status changes, deletion."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import ACCESS_NAMES
from fleetgate.features.connections.events import record_connection_event
from fleetgate.features.connections.token_storage import forget_tokens, store_tokens
from fleetgate.features.connections.tokens import forget_connection
from fleetgate.features.connections.views import connection_out as connection_out
from fleetgate.features.events.types import (
    CONNECTION_CREATED,
    CONNECTION_REVOKED,
    CONNECTION_SUPERSEDED,
    CONNECTION_UPDATED,
)
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.side_transactions import mark_written
from fleetgate.infra.errors import NotFound
from fleetgate.infra.models import Connection
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.infra.workspace_rows import get_in_workspace
from fleetgate.tesla.oauth import TokenSet

SUPERSEDED_REASON = (
    "Superseded: the same Tesla account was connected again elsewhere for this app, and Tesla ended this "
    "connection's tokens. Reconnect to use it here again."
)


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
    """Creates the connection, or updates the workspace's connection to the same Tesla account (`connection_id` on
    a reconnect): encrypted tokens, region and granted scopes from the token's claims, status active. Connections
    elsewhere to that account lose their tokens at Tesla with this login; they are marked so (`supersede_others`)."""
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
        connection = await workspace_connection_of_account(session, workspace_id, customer_id, claims.subject)
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
    connection.status = ConnectionStatus.ACTIVE
    connection.status_reason = None
    connection.revoked_at = None
    connection.requested_access = merged_access(connection.requested_access or [], requested_access)
    store_tokens(connection, tokens, runtime.encryptor)
    connection.refreshed_at = now
    await session.flush()
    mark_written(session, connection.id)
    await record_connection_event(session, runtime, CONNECTION_CREATED if created else CONNECTION_UPDATED, connection)
    await supersede_others(session, runtime, claims.subject, keep=connection.id)
    return connection


async def workspace_connection_of_account(
    session: AsyncSession, workspace_id: str, customer_id: str, tesla_subject: str
) -> Connection | None:
    """The workspace's connection to this Tesla account, whichever customer made it. Connections made before there
    was one per account may share it: the customer's own comes first, then the newest."""
    query = (
        select(Connection)
        .where(Connection.workspace_id == workspace_id, Connection.tesla_subject == tesla_subject)
        .order_by((Connection.customer_id == customer_id).desc(), Connection.created_at.desc(), Connection.id)
        .limit(1)
    )
    return await session.scalar(query)


async def supersede_others(session: AsyncSession, runtime: Runtime, tesla_subject: str, keep: str | None) -> None:
    """Tesla ends every older token chain of a Tesla account when it signs in to the same app again, so the other
    active connections to that account (in other workspaces, or made before one per account) stop working now:
    marked `needs_reconnect` with the reason, and `connection.superseded`, in the caller's transaction."""
    query = (
        select(Connection)
        .where(Connection.tesla_subject == tesla_subject, Connection.status == ConnectionStatus.ACTIVE)
        .order_by(Connection.id)
        .with_for_update()
    )
    if keep is not None:
        query = query.where(Connection.id != keep)
    for other in (await session.scalars(query)).all():
        other.status = ConnectionStatus.NEEDS_RECONNECT
        other.status_reason = SUPERSEDED_REASON
        other.updated_at = utcnow()
        await session.flush()
        mark_written(session, other.id)
        await record_connection_event(session, runtime, CONNECTION_SUPERSEDED, other)


async def get_connection(session: AsyncSession, workspace_id: str, connection_id: str) -> Connection:
    return await get_in_workspace(session, Connection, workspace_id, connection_id, "connection")


def list_query(workspace_id: str, customer_id: str | None = None) -> Select[Connection]:
    query = select(Connection).where(Connection.workspace_id == workspace_id)
    if customer_id is not None:
        query = query.where(Connection.customer_id == customer_id)
    return query


async def disconnect(session: AsyncSession, runtime: Runtime, connection: Connection) -> bool:
    """Forgets the tokens; false when the connection was already disconnected (then nothing changes)."""
    if connection.status == ConnectionStatus.REVOKED and connection.access_token_enc is None:
        return False
    now = utcnow()
    forget_tokens(connection)
    connection.status = ConnectionStatus.REVOKED
    connection.status_reason = "Disconnected by the application; its Tesla tokens were erased."
    connection.revoked_at = now
    connection.updated_at = now
    await session.flush()
    mark_written(session, connection.id)
    forget_connection(runtime, connection.id)
    await record_connection_event(session, runtime, CONNECTION_REVOKED, connection)
    return True
