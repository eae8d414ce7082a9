from enum import StrEnum


class HistoryOutType(StrEnum):
    ENERGY_SITE = "energy_site"
    VEHICLE = "vehicle"

    def __str__(self) -> str:
        return str(self.value)
