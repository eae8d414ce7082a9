"""Revoking an API key from a running server (the console), where this process's cache of keys must forget it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import ApiKey
from fleetgate.infra.security.key_cache import ApiKeyCache


async def revoke_api_key(session: AsyncSession, cache: ApiKeyCache, api_key: ApiKey) -> None:
    """Refused by this process from the commit on (other processes: once their cache entry is
    `api_key_cache_seconds` old). The entry is forgotten now and again at the commit: a request that looked the key
    up in between would otherwise remember it as valid."""
    if api_key.revoked_at is not None:
        return
    api_key.revoked_at = utcnow()
    await session.flush()
    cache.forget(api_key.key_hash)

    def forget(_session: Any) -> None:
        cache.forget(api_key.key_hash)

    event.listen(session.sync_session, "after_commit", forget, once=True)
