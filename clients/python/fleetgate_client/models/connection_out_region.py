from enum import StrEnum


class ConnectionOutRegion(StrEnum):
    CN = "cn"
    EU = "eu"
    NA = "na"

    def __str__(self) -> str:
        return str(self.value)
