from enum import StrEnum


class GetDeviceHistoryKindType0(StrEnum):
    BACKUP = "backup"
    CHARGING = "charging"
    ENERGY = "energy"

    def __str__(self) -> str:
        return str(self.value)
