from enum import StrEnum


class CommandInIfKeyMissing(StrEnum):
    REFUSE = "refuse"
    TRY = "try"

    def __str__(self) -> str:
        return str(self.value)
