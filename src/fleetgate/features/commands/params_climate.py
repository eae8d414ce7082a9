"""Parameters of the climate, seat and steering wheel commands. Temperatures are °C; levels are Tesla's numbers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from fleetgate.features.commands.params import NoParams


class Temperatures(NoParams):
    driver_temp: float = Field(ge=15, le=28, description="Driver side, °C")
    passenger_temp: float = Field(ge=15, le=28, description="Passenger side, °C")


class ClimateKeeperMode(NoParams):
    climate_keeper_mode: int = Field(ge=0, le=3, description="0 off, 1 keep, 2 dog, 3 camp")


class SeatHeater(NoParams):
    seat_position: int = Field(
        ge=0,
        le=8,
        description="0 front left, 1 front right, 2 rear left, 3 rear left back, 4 rear centre, 5 rear right, "
        "6 rear right back, 7 third row left, 8 third row right",
    )
    level: int = Field(ge=0, le=3, description="0 off to 3 high")


class SeatCooler(NoParams):
    seat_position: int = Field(ge=1, le=2, description="1 front left, 2 front right")
    seat_cooler_level: int = Field(ge=0, le=3, description="0 off to 3 high")


class AutoSeatClimate(NoParams):
    auto_seat_position: int = Field(ge=1, le=2, description="1 front left, 2 front right")
    auto_climate_on: bool = Field(description="Let the car heat or cool the seat as the cabin needs")


class SwitchedOn(NoParams):
    on: bool = Field(description="true on, false off")


class SteeringWheelHeatLevel(NoParams):
    level: Literal[0, 1, 3] = Field(description="0 off, 1 low, 3 high (Tesla has no 2)")


class CabinOverheatProtection(NoParams):
    on: bool = Field(description="true on, false off")
    fan_only: bool = Field(default=False, description="Cool with the fan only, not the air conditioning")


class CopTemperature(NoParams):
    cop_temp: int = Field(
        ge=0,
        le=2,
        description="Cabin temperature that starts the protection: 0 low (30 °C), 1 medium (35 °C), 2 high (40 °C)",
    )


class OverridableSwitch(NoParams):
    on: bool = Field(description="true on, false off")
    manual_override: bool = Field(default=False, description="Keep it on even when the car would turn it off")
