"""Commands as protocol messages: a REST command name and its params become a domain and a serialised payload.

VCSEC (the security controller) takes locks, closures and remote start; everything else is a `CarServer.Action`
for infotainment. Commands without a protocol message here go over REST. Waking is not here: over the Fleet API a
signed wake cannot reach a sleeping car (Tesla answers 408 before the car sees it), so it is the REST `wake_up`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import vcsec_pb2 as vcsec
from tesla_protocol.command.common_pb2 import Void

from fleetgate.protocol.authentication import DOMAIN_INFOTAINMENT, DOMAIN_VEHICLE_SECURITY

Params = dict[str, Any]


class UnsupportedSignedCommand(Exception):
    """No protocol message for this command: send it over REST."""


class InvalidCommandParams(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SignedPayload:
    domain: int
    payload: bytes


def _flag(params: Params, name: str) -> bool:
    value = params.get(name)
    if not isinstance(value, bool):
        raise InvalidCommandParams(f"{name} must be true or false")
    return value


def _number(params: Params, name: str, low: float, high: float) -> float:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidCommandParams(f"{name} must be a number from {low:g} to {high:g}")
    return float(value)


def _rke(action: int) -> SignedPayload:
    return SignedPayload(DOMAIN_VEHICLE_SECURITY, vcsec.UnsignedMessage(RKEAction=action).SerializeToString())  # type: ignore[arg-type]


def _closure(**moves: int) -> SignedPayload:
    request = vcsec.ClosureMoveRequest(**moves)  # type: ignore[arg-type]
    return SignedPayload(DOMAIN_VEHICLE_SECURITY, vcsec.UnsignedMessage(closureMoveRequest=request).SerializeToString())


def _car(**vehicle_action: Any) -> SignedPayload:
    action = cs.Action(vehicleAction=cs.VehicleAction(**vehicle_action))
    return SignedPayload(DOMAIN_INFOTAINMENT, action.SerializeToString())


def _trunk(params: Params) -> SignedPayload:
    which = params.get("which_trunk")
    if which == "rear":
        return _closure(rearTrunk=vcsec.CLOSURE_MOVE_TYPE_MOVE)
    if which == "front":
        return _closure(frontTrunk=vcsec.CLOSURE_MOVE_TYPE_OPEN)
    raise InvalidCommandParams("which_trunk must be front or rear")


def _temps(params: Params) -> SignedPayload:
    driver = _number(params, "driver_temp", 15, 28)
    passenger = _number(params, "passenger_temp", 15, 28)
    return _car(
        hvacTemperatureAdjustmentAction=cs.HvacTemperatureAdjustmentAction(
            driver_temp_celsius=driver, passenger_temp_celsius=passenger
        )
    )


def _scheduled_charging(params: Params) -> SignedPayload:
    enable = _flag(params, "enable")
    time = int(_number(params, "time", 0, 1439)) if enable or "time" in params else 0
    return _car(scheduledChargingAction=cs.ScheduledChargingAction(enabled=enable, charging_time=time))


BUILDERS: dict[str, Callable[[Params], SignedPayload]] = {
    "door_lock": lambda p: _rke(vcsec.RKE_ACTION_LOCK),
    "door_unlock": lambda p: _rke(vcsec.RKE_ACTION_UNLOCK),
    "remote_start_drive": lambda p: _rke(vcsec.RKE_ACTION_REMOTE_DRIVE),
    "actuate_trunk": _trunk,
    "charge_port_door_open": lambda p: _car(chargePortDoorOpen=cs.ChargePortDoorOpen()),
    "charge_port_door_close": lambda p: _car(chargePortDoorClose=cs.ChargePortDoorClose()),
    "charge_start": lambda p: _car(chargingStartStopAction=cs.ChargingStartStopAction(start=Void())),
    "charge_stop": lambda p: _car(chargingStartStopAction=cs.ChargingStartStopAction(stop=Void())),
    "charge_standard": lambda p: _car(chargingStartStopAction=cs.ChargingStartStopAction(start_standard=Void())),
    "charge_max_range": lambda p: _car(chargingStartStopAction=cs.ChargingStartStopAction(start_max_range=Void())),
    "set_charge_limit": lambda p: _car(
        chargingSetLimitAction=cs.ChargingSetLimitAction(percent=int(_number(p, "percent", 50, 100)))
    ),
    "set_charging_amps": lambda p: _car(
        setChargingAmpsAction=cs.SetChargingAmpsAction(charging_amps=int(_number(p, "charging_amps", 0, 80)))
    ),
    "auto_conditioning_start": lambda p: _car(hvacAutoAction=cs.HvacAutoAction(power_on=True)),
    "auto_conditioning_stop": lambda p: _car(hvacAutoAction=cs.HvacAutoAction(power_on=False)),
    "set_temps": _temps,
    "honk_horn": lambda p: _car(vehicleControlHonkHornAction=cs.VehicleControlHonkHornAction()),
    "flash_lights": lambda p: _car(vehicleControlFlashLightsAction=cs.VehicleControlFlashLightsAction()),
    "set_sentry_mode": lambda p: _car(
        vehicleControlSetSentryModeAction=cs.VehicleControlSetSentryModeAction(on=_flag(p, "on"))
    ),
    "set_scheduled_charging": _scheduled_charging,
    "ping": lambda p: _car(ping=cs.Ping(ping_id=int(p.get("ping_id", 1)))),
}


def build(name: str, params: Params) -> SignedPayload:
    builder = BUILDERS.get(name)
    if builder is None:
        raise UnsupportedSignedCommand(name)
    return builder(params)
