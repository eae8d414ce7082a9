from enum import StrEnum


class TelemetryStatus(StrEnum):
    FAILED = "failed"
    PAUSED_BUDGET = "paused_budget"
    PENDING = "pending"
    REMOVED = "removed"
    SYNCED = "synced"

    def __str__(self) -> str:
        return str(self.value)
