from enum import StrEnum


class HistoryOutKind(StrEnum):
    BACKUP = "backup"
    CHARGING = "charging"
    ENERGY = "energy"

    def __str__(self) -> str:
        return str(self.value)
