from enum import StrEnum


class EnergySiteStateOutSource(StrEnum):
    CACHE = "cache"
    LIVE = "live"

    def __str__(self) -> str:
        return str(self.value)
