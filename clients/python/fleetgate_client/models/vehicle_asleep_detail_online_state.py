from enum import StrEnum


class VehicleAsleepDetailOnlineState(StrEnum):
    ASLEEP = "asleep"
    OFFLINE = "offline"
    ONLINE = "online"

    def __str__(self) -> str:
        return str(self.value)
