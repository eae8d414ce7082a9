from enum import StrEnum


class ConnectionStatus(StrEnum):
    ACTIVE = "active"
    NEEDS_RECONNECT = "needs_reconnect"
    REVOKED = "revoked"

    def __str__(self) -> str:
        return str(self.value)
