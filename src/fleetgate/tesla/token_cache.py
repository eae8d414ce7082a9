"""What one process remembers about connections' access tokens between requests."""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class AccessToken:
    version: int
    value: str
    expires_at: float  # epoch seconds

    def expiring(self, leeway: float, now: float) -> bool:
        return self.expires_at - leeway <= now


@dataclass
class TokenCache:
    """One lock per connection, and the newest access token this process has seen for each (one per app)."""

    locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(default_factory=weakref.WeakValueDictionary)
    newest: dict[str, AccessToken] = field(default_factory=dict)

    def lock(self, connection_id: str) -> asyncio.Lock:
        lock = self.locks.get(connection_id)
        if lock is None:
            lock = asyncio.Lock()
            self.locks[connection_id] = lock
        return lock

    def remember(self, connection_id: str, token: AccessToken) -> None:
        known = self.newest.get(connection_id)
        if known is None or known.version < token.version:
            self.newest[connection_id] = token
