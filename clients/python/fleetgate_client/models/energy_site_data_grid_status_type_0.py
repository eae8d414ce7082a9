from enum import StrEnum


class EnergySiteDataGridStatusType0(StrEnum):
    CONNECTED = "connected"
    ISLANDED = "islanded"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
