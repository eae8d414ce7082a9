"""Workspaces (the developer's tenant) and their API keys."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.models import ApiKey, Workspace
from fleetgate.infra.security.api_keys import NewApiKey, new_api_key
from fleetgate.infra.security.ids import new_id


async def create_workspace(session: AsyncSession, name: str) -> Workspace:
    workspace = Workspace(id=new_id("ws"), name=name)
    session.add(workspace)
    await session.flush()
    return workspace


async def create_api_key(session: AsyncSession, workspace_id: str, name: str = "") -> tuple[ApiKey, NewApiKey]:
    """The returned `NewApiKey.key` is the only time the key exists in clear: only its hash is stored."""
    fresh = new_api_key()
    api_key = ApiKey(
        id=new_id("key"), workspace_id=workspace_id, name=name, prefix=fresh.prefix, key_hash=fresh.key_hash
    )
    session.add(api_key)
    await session.flush()
    return api_key, fresh
