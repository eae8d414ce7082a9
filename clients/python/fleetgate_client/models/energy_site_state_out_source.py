from enum import StrEnum


class EnergySiteStateOutSource(StrEnum):
    CACHE = "cache"
    LIVE = "live"
    TELEMETRY = "telemetry"

    def __str__(self) -> str:
        return str(self.value)
