from enum import StrEnum


class EnergySiteStateOutOnlineStateType0(StrEnum):
    ASLEEP = "asleep"
    OFFLINE = "offline"
    ONLINE = "online"

    def __str__(self) -> str:
        return str(self.value)
