from enum import StrEnum


class HistoryOutSource(StrEnum):
    CACHE = "cache"
    LIVE = "live"

    def __str__(self) -> str:
        return str(self.value)
