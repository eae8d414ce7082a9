"""Climate commands as `CarServer.VehicleAction` messages (the simulated car's decoder reads them back into the
same REST names and params)."""

from __future__ import annotations

from collections.abc import Callable

from tesla_protocol.command import car_server_pb2 as cs

from fleetgate.tesla.signing.payloads import Params, SignedPayload, car, flag, integer, number


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
}
