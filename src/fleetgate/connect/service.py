"""Connect sessions: one trip of an end user through Tesla's consent, from creation to a linked connection."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.models import ConnectSession
from fleetgate.state import AppState


async def create_connect_session(
    session: AsyncSession,
    state: AppState,
    *,
    workspace_id: str,
    customer_id: str,
    access: list[str],
    redirect_url: str | None,
    require_all: bool = False,
    reconnect_connection_id: str | None = None,
) -> ConnectSession:
    """A pending session; with `reconnect_connection_id`, its flow asks Tesla with `prompt_missing_scopes=true` and
    completing it updates that connection."""
    raise NotImplementedError
