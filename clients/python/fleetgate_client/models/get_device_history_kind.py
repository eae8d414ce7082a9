from enum import StrEnum


class GetDeviceHistoryKind(StrEnum):
    BACKUP = "backup"
    CHARGING = "charging"
    ENERGY = "energy"

    def __str__(self) -> str:
        return str(self.value)
