"""Errors about a connection's state, in the API's error shape."""

from __future__ import annotations

from typing import Any

from fleetgate.features.connections.remedies import reconnect_remedies
from fleetgate.infra.errors import APIError, NeedsReconnect


class ConnectionRevoked(APIError):
    status = 409
    code = "connection_revoked"


def needs_reconnect_error(connection_id: str, reason: str | None, remedies: dict[str, str]) -> NeedsReconnect:
    remedy: dict[str, Any] = {"action": "reconnect", **remedies}
    because = f": {reason}" if reason else "."
    return NeedsReconnect(
        f"Connection {connection_id} needs the user to reconnect their Tesla account{because}",
        remedy=remedy,
        connection_id=connection_id,
    )


def revoked_error(connection_id: str, remedies: dict[str, str]) -> ConnectionRevoked:
    return ConnectionRevoked(
        f"Connection {connection_id} was deleted and its tokens forgotten; it cannot reach Tesla.",
        remedy={"action": "reconnect", **reconnect_remedies(remedies)},
        connection_id=connection_id,
    )
