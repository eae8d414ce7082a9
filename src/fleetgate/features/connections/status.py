"""A connection's life: `active` → `needs_reconnect` (Tesla refused to renew access) → `revoked` (deleted).

A reconnect, or connecting the same Tesla account again, makes it `active` once more.
"""

from __future__ import annotations

ACTIVE, NEEDS_RECONNECT, REVOKED = "active", "needs_reconnect", "revoked"
STATUSES = (ACTIVE, NEEDS_RECONNECT, REVOKED)
