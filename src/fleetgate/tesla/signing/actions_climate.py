"""Climate, seat and steering wheel commands as `CarServer.VehicleAction` messages (the simulated car's decoder
reads them back into the same REST names and params)."""

from __future__ import annotations

from collections.abc import Callable

from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import common_pb2 as common

from fleetgate.tesla.signing.payloads import InvalidCommandParams, Params, SignedPayload, car, flag, integer, number


def _temps(params: Params) -> SignedPayload:
    driver = number(params, "driver_temp", 15, 28)
    passenger = number(params, "passenger_temp", 15, 28)
    return car(
        hvacTemperatureAdjustmentAction=cs.HvacTemperatureAdjustmentAction(
            driver_temp_celsius=driver, passenger_temp_celsius=passenger
        )
    )


def _cop_temp(params: Params) -> SignedPayload:
    # REST numbers the levels 0-2 (low, medium, high); the protobuf enum starts with "unspecified".
    level = integer(params, "cop_temp", 0, 2) + 1
    return car(setCopTempAction=cs.SetCopTempAction(copActivationTemp=level))  # type: ignore[arg-type]


def _climate_keeper(params: Params) -> SignedPayload:
    mode = integer(params, "climate_keeper_mode", 0, 3)
    return car(hvacClimateKeeperAction=cs.HvacClimateKeeperAction(ClimateKeeperAction=mode))  # type: ignore[arg-type]


# REST's seat numbers 0-8 and heat levels 0-3 name these fields of the seat heater message's oneofs.
SEATS = (
    "CAR_SEAT_FRONT_LEFT",
    "CAR_SEAT_FRONT_RIGHT",
    "CAR_SEAT_REAR_LEFT",
    "CAR_SEAT_REAR_LEFT_BACK",
    "CAR_SEAT_REAR_CENTER",
    "CAR_SEAT_REAR_RIGHT",
    "CAR_SEAT_REAR_RIGHT_BACK",
    "CAR_SEAT_THIRD_ROW_LEFT",
    "CAR_SEAT_THIRD_ROW_RIGHT",
)
SEAT_HEATER_LEVELS = ("SEAT_HEATER_OFF", "SEAT_HEATER_LOW", "SEAT_HEATER_MED", "SEAT_HEATER_HIGH")
# REST's wheel levels (0 off, 1 low, 3 high) as the protobuf's enum numbers them after "unknown".
WHEEL_LEVELS = {0: 1, 1: 2, 3: 3}


def _seat_heater(params: Params) -> SignedPayload:
    seat = SEATS[integer(params, "seat_position", 0, len(SEATS) - 1)]
    level = SEAT_HEATER_LEVELS[integer(params, "level", 0, len(SEAT_HEATER_LEVELS) - 1)]
    action = cs.HvacSeatHeaterActions.HvacSeatHeaterAction(**{seat: common.Void(), level: common.Void()})
    return car(hvacSeatHeaterActions=cs.HvacSeatHeaterActions(hvacSeatHeaterAction=[action]))


def _seat_cooler(params: Params) -> SignedPayload:
    # Positions number as REST's (1 front left, 2 front right); levels start at off = 1 after "unknown".
    action = cs.HvacSeatCoolerActions.HvacSeatCoolerAction(
        seat_position=integer(params, "seat_position", 1, 2),  # type: ignore[arg-type]
        seat_cooler_level=integer(params, "seat_cooler_level", 0, 3) + 1,  # type: ignore[arg-type]
    )
    return car(hvacSeatCoolerActions=cs.HvacSeatCoolerActions(hvacSeatCoolerAction=[action]))


def _auto_seat(params: Params) -> SignedPayload:
    seat = cs.AutoSeatClimateAction.CarSeat(
        seat_position=integer(params, "auto_seat_position", 1, 2),  # type: ignore[arg-type]
        on=flag(params, "auto_climate_on"),
    )
    return car(autoSeatClimateAction=cs.AutoSeatClimateAction(carseat=[seat]))


def _wheel_level(params: Params) -> SignedPayload:
    level = params.get("level")
    if level not in WHEEL_LEVELS:
        raise InvalidCommandParams("level must be 0, 1 or 3")
    return car(stwHeatLevelAction=cs.StwHeatLevelAction(stw_heat_level=WHEEL_LEVELS[level]))  # type: ignore[arg-type]


CLIMATE_BUILDERS: dict[str, Callable[[Params], SignedPayload]] = {
    "auto_conditioning_start": lambda p: car(hvacAutoAction=cs.HvacAutoAction(power_on=True)),
    "auto_conditioning_stop": lambda p: car(hvacAutoAction=cs.HvacAutoAction(power_on=False)),
    "set_temps": _temps,
    "set_preconditioning_max": lambda p: car(
        hvacSetPreconditioningMaxAction=cs.HvacSetPreconditioningMaxAction(
            on=flag(p, "on"), manual_override=flag(p, "manual_override", False)
        )
    ),
    "set_bioweapon_mode": lambda p: car(
        hvacBioweaponModeAction=cs.HvacBioweaponModeAction(
            on=flag(p, "on"), manual_override=flag(p, "manual_override", False)
        )
    ),
    "remote_steering_wheel_heater_request": lambda p: car(
        hvacSteeringWheelHeaterAction=cs.HvacSteeringWheelHeaterAction(power_on=flag(p, "on"))
    ),
    "set_cabin_overheat_protection": lambda p: car(
        setCabinOverheatProtectionAction=cs.SetCabinOverheatProtectionAction(
            on=flag(p, "on"), fan_only=flag(p, "fan_only", False)
        )
    ),
    "set_cop_temp": _cop_temp,
    "set_climate_keeper_mode": _climate_keeper,
    "remote_seat_heater_request": _seat_heater,
    "remote_seat_cooler_request": _seat_cooler,
    "remote_auto_seat_climate_request": _auto_seat,
    "remote_steering_wheel_heat_level_request": _wheel_level,
    "remote_auto_steering_wheel_heat_climate_request": lambda p: car(
        autoStwHeatAction=cs.AutoStwHeatAction(on=flag(p, "on"))
    ),
}
