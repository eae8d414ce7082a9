from enum import StrEnum


class VehicleStateOutOnlineStateType0(StrEnum):
    ASLEEP = "asleep"
    OFFLINE = "offline"
    ONLINE = "online"

    def __str__(self) -> str:
        return str(self.value)
