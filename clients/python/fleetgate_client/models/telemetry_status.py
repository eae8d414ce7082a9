from enum import StrEnum


class TelemetryStatus(StrEnum):
    FAILED = "failed"
    PENDING = "pending"
    REMOVED = "removed"
    SYNCED = "synced"

    def __str__(self) -> str:
        return str(self.value)
