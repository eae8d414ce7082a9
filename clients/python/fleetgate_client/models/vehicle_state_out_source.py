from enum import StrEnum


class VehicleStateOutSource(StrEnum):
    CACHE = "cache"
    LIVE = "live"
    TELEMETRY = "telemetry"

    def __str__(self) -> str:
        return str(self.value)
