from enum import StrEnum


class TelemetryInAlertTypesItem(StrEnum):
    CUSTOMER = "customer"
    SERVICE = "service"
    SERVICE_FIX = "service-fix"

    def __str__(self) -> str:
        return str(self.value)
