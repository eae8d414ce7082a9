from enum import StrEnum


class ListDevicesType(StrEnum):
    ENERGY_SITE = "energy_site"
    VEHICLE = "vehicle"

    def __str__(self) -> str:
        return str(self.value)
