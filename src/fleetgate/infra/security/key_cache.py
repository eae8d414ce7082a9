"""What this process remembers of the API keys it has seen, for `api_key_cache_seconds`: every authenticated request
would otherwise pay a query for its key and workspace.

A key revoked (`fleetgate apikey revoke`, another process) stops working here once its entry is that old, and at
once in a process that had not checked it lately, or that revoked it itself (the console: `forget`). Only keys that
were valid are remembered, so random keys cost a query each and no memory, and the number of entries is bounded.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime

MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class CurrentWorkspace:
    """The workspace a request's API key belongs to."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class KnownKey:
    api_key_id: str
    workspace: CurrentWorkspace
    last_used_at: datetime | None


class ApiKeyCache:
    def __init__(self, ttl_seconds: float, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, KnownKey]] = OrderedDict()

    def get(self, key_hash: str) -> KnownKey | None:
        found = self._entries.get(key_hash)
        if found is None:
            return None
        expires, known = found
        if time.monotonic() >= expires:
            del self._entries[key_hash]
            return None
        return known

    def put(self, key_hash: str, known: KnownKey) -> None:
        if self.ttl_seconds <= 0:
            return
        self._entries[key_hash] = (time.monotonic() + self.ttl_seconds, known)
        self._entries.move_to_end(key_hash)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def forget(self, key_hash: str) -> None:
        """A key revoked by this process: checked again at its next use."""
        self._entries.pop(key_hash, None)

    def used(self, key_hash: str, at: datetime) -> None:
        """Notes the `last_used_at` just written, keeping the entry's expiry."""
        found = self._entries.get(key_hash)
        if found is not None:
            self._entries[key_hash] = (found[0], replace(found[1], last_used_at=at))
