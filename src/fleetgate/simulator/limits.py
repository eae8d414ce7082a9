"""Tesla's per-vehicle, per-account rate limits: a sliding one-minute window per (device, category)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0
DEFAULT_LIMITS = {"data": 60, "commands": 30, "wakes": 3}


@dataclass(frozen=True, slots=True)
class LimitDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_seconds)
        return headers


@dataclass(slots=True)
class RateLimiter:
    limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    _hits: dict[tuple[str, str, str], deque[float]] = field(default_factory=dict)

    def check(self, account_id: str, device: str, category: str, now: float) -> LimitDecision:
        """Counts the call if allowed. A refused call is not counted, as Tesla does not let it through."""
        limit = self.limits.get(category)
        if limit is None:
            return LimitDecision(True, 0, 0, 0)
        hits = self._hits.setdefault((account_id, device, category), deque())
        while hits and hits[0] <= now - WINDOW_SECONDS:
            hits.popleft()
        if len(hits) >= limit:
            reset = max(1, math.ceil(hits[0] + WINDOW_SECONDS - now))
            return LimitDecision(False, limit, 0, reset)
        hits.append(now)
        reset = max(1, math.ceil(hits[0] + WINDOW_SECONDS - now))
        return LimitDecision(True, limit, limit - len(hits), reset)
