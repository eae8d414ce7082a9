from enum import StrEnum


class GetCommandCatalogDeviceType(StrEnum):
    ENERGY_SITE = "energy_site"
    VEHICLE = "vehicle"

    def __str__(self) -> str:
        return str(self.value)
