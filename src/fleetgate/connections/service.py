"""Connections: linking a Tesla account from a completed consent, status changes, deletion."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.models import Connection
from fleetgate.state import AppState
from fleetgate.tesla.oauth import TokenSet


class DifferentTeslaAccount(Exception):
    """A reconnect was completed with another Tesla account than the connection's."""


async def link_connection(
    session: AsyncSession,
    state: AppState,
    *,
    workspace_id: str,
    customer_id: str,
    tokens: TokenSet,
    requested_access: list[str],
    connection_id: str | None,
) -> Connection:
    """Creates the connection (or updates `connection_id` on a reconnect, or the customer's existing connection to
    the same Tesla account): encrypted tokens, region and granted scopes from the token's claims, status active."""
    raise NotImplementedError
