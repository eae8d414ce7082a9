"""Commands as protocol messages: a REST command name and its params become a domain and a serialised payload.

VCSEC (the security controller) takes locks, closures and remote start; everything else is a `CarServer.Action`
for infotainment (`actions_climate`, `actions_controls`). The one command without a protocol message here goes over
REST: `navigation_request` (Tesla forwards it unsigned). Waking is not here: over the Fleet API a signed wake cannot
reach a sleeping car (Tesla answers 408 before the car sees it), so it is the REST `wake_up`.
"""

from __future__ import annotations

from collections.abc import Callable

from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import common_pb2 as common
from tesla_protocol.command import vcsec_pb2 as vcsec
from tesla_protocol.command.common_pb2 import Void

from fleetgate.tesla.signing import schedule_days
from fleetgate.tesla.signing.actions_climate import CLIMATE_BUILDERS
from fleetgate.tesla.signing.actions_controls import CONTROL_BUILDERS
from fleetgate.tesla.signing.payloads import (
    InvalidCommandParams,
    Params,
    SignedPayload,
    UnsupportedSignedCommand,
    car,
    closure,
    flag,
    integer,
    number,
    rke,
    text,
)

__all__ = ["BUILDERS", "InvalidCommandParams", "SignedPayload", "UnsupportedSignedCommand", "build"]

UINT64_MAX = 2**64 - 1


def _trunk(params: Params) -> SignedPayload:
    which = params.get("which_trunk")
    if which == "rear":
        return closure(rearTrunk=vcsec.CLOSURE_MOVE_TYPE_MOVE)
    if which == "front":
        return closure(frontTrunk=vcsec.CLOSURE_MOVE_TYPE_OPEN)
    raise InvalidCommandParams("which_trunk must be front or rear")


def _scheduled_charging(params: Params) -> SignedPayload:
    enable = flag(params, "enable")
    time = int(number(params, "time", 0, 1439)) if enable or "time" in params else 0
    return car(scheduledChargingAction=cs.ScheduledChargingAction(enabled=enable, charging_time=time))


def _days(params: Params) -> int:
    try:
        return schedule_days.mask(text(params, "days_of_week"))
    except schedule_days.UnknownDay as exc:
        raise InvalidCommandParams(f"days_of_week has an unknown day: {exc}") from None


def _minute(params: Params, name: str) -> int:
    return integer(params, name, 0, 1439) if params.get(name) is not None else 0


def _schedule_id(params: Params) -> int:
    """0 (or none): a new schedule; the car's id: that schedule, changed."""
    return integer(params, "id", 0, UINT64_MAX) if params.get("id") is not None else 0


def _place(params: Params) -> dict[str, float]:
    return {"latitude": number(params, "lat", -90, 90), "longitude": number(params, "lon", -180, 180)}


def _charge_schedule(params: Params) -> SignedPayload:
    schedule = common.ChargeSchedule(
        id=_schedule_id(params),
        name=text(params, "name", ""),
        days_of_week=_days(params),
        enabled=flag(params, "enabled"),
        start_enabled=flag(params, "start_enabled"),
        start_time=_minute(params, "start_time"),
        end_enabled=flag(params, "end_enabled"),
        end_time=_minute(params, "end_time"),
        one_time=flag(params, "one_time", False),
        **_place(params),
    )
    return car(addChargeScheduleAction=schedule)


def _precondition_schedule(params: Params) -> SignedPayload:
    schedule = common.PreconditionSchedule(
        id=_schedule_id(params),
        name=text(params, "name", ""),
        days_of_week=_days(params),
        enabled=flag(params, "enabled"),
        precondition_time=integer(params, "precondition_time", 0, 1439),
        one_time=flag(params, "one_time", False),
        **_place(params),
    )
    return car(addPreconditionScheduleAction=schedule)


def _policy(params: Params, enabled: str, weekdays: str) -> dict[str, common.Void]:
    """A planner setting's days: unset when off, `weekdays` or `all_week` when on."""
    if flag(params, weekdays, False):
        return {"weekdays": common.Void()}
    return {"all_week": common.Void()} if flag(params, enabled, False) else {}


def _scheduled_departure(params: Params) -> SignedPayload:
    enable = flag(params, "enable")
    action = cs.ScheduledDepartureAction(
        enabled=enable,
        departure_time=integer(params, "departure_time", 0, 1439) if enable or "departure_time" in params else 0,
        preconditioning_times=common.PreconditioningTimes(
            **_policy(params, "preconditioning_enabled", "preconditioning_weekdays_only")
        ),
        off_peak_charging_times=common.OffPeakChargingTimes(
            **_policy(params, "off_peak_charging_enabled", "off_peak_charging_weekdays_only")
        ),
        off_peak_hours_end_time=_minute(params, "end_off_peak_time"),
    )
    return car(scheduledDepartureAction=action)


def _charging(**which: Void) -> Callable[[Params], SignedPayload]:
    return lambda p: car(chargingStartStopAction=cs.ChargingStartStopAction(**which))


BUILDERS: dict[str, Callable[[Params], SignedPayload]] = {
    "door_lock": lambda p: rke(vcsec.RKE_ACTION_LOCK),
    "door_unlock": lambda p: rke(vcsec.RKE_ACTION_UNLOCK),
    "remote_start_drive": lambda p: rke(vcsec.RKE_ACTION_REMOTE_DRIVE),
    "actuate_trunk": _trunk,
    "charge_port_door_open": lambda p: car(chargePortDoorOpen=cs.ChargePortDoorOpen()),
    "charge_port_door_close": lambda p: car(chargePortDoorClose=cs.ChargePortDoorClose()),
    "charge_start": _charging(start=Void()),
    "charge_stop": _charging(stop=Void()),
    "charge_standard": _charging(start_standard=Void()),
    "charge_max_range": _charging(start_max_range=Void()),
    "set_charge_limit": lambda p: car(
        chargingSetLimitAction=cs.ChargingSetLimitAction(percent=int(number(p, "percent", 50, 100)))
    ),
    "set_charging_amps": lambda p: car(
        setChargingAmpsAction=cs.SetChargingAmpsAction(charging_amps=integer(p, "charging_amps", 0, 80))
    ),
    "set_scheduled_charging": _scheduled_charging,
    "set_scheduled_departure": _scheduled_departure,
    "add_charge_schedule": _charge_schedule,
    "remove_charge_schedule": lambda p: car(
        removeChargeScheduleAction=cs.RemoveChargeScheduleAction(id=integer(p, "id", 1, UINT64_MAX))
    ),
    "add_precondition_schedule": _precondition_schedule,
    "remove_precondition_schedule": lambda p: car(
        removePreconditionScheduleAction=cs.RemovePreconditionScheduleAction(id=integer(p, "id", 1, UINT64_MAX))
    ),
    **CLIMATE_BUILDERS,
    **CONTROL_BUILDERS,
    "ping": lambda p: car(ping=cs.Ping(ping_id=int(p.get("ping_id", 1)))),
}


def build(name: str, params: Params) -> SignedPayload:
    builder = BUILDERS.get(name)
    if builder is None:
        raise UnsupportedSignedCommand(name)
    return builder(params)
