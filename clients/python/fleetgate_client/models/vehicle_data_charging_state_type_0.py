from enum import StrEnum


class VehicleDataChargingStateType0(StrEnum):
    CHARGING = "charging"
    COMPLETE = "complete"
    DISCONNECTED = "disconnected"
    NO_POWER = "no_power"
    STARTING = "starting"
    STOPPED = "stopped"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
