"""Workspaces (the developer's tenant), their API keys, and how the hosted pages present them."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.workspaces.branding import check_accent_color, check_display_name, check_logo_url
from fleetgate.infra.errors import NotFound
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


BRANDING_CHECKS = {
    "display_name": check_display_name,
    "logo_url": check_logo_url,
    "accent_color": check_accent_color,
}


async def get_workspace(session: AsyncSession, workspace_id: str) -> Workspace:
    workspace = await session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound(f"No workspace {workspace_id}.")
    return workspace


def set_branding(workspace: Workspace, changes: Mapping[str, str | None]) -> None:
    """Each named field checked and set (None clears it); every one is checked before any is set."""
    checked = {field: BRANDING_CHECKS[field](value) if value is not None else None for field, value in changes.items()}
    for field, value in checked.items():
        setattr(workspace, field, value)
