from enum import StrEnum


class SyncedConnectionOutRegion(StrEnum):
    CN = "cn"
    EU = "eu"
    NA = "na"

    def __str__(self) -> str:
        return str(self.value)
