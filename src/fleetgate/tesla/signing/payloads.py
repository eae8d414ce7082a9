"""What the builders in `actions` share: reading a command's REST params, and wrapping a protocol message for its
domain (VCSEC for locks and closures, a `CarServer.Action` for infotainment)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.protocol.authentication import DOMAIN_INFOTAINMENT, DOMAIN_VEHICLE_SECURITY

Params = dict[str, Any]


class InvalidCommandParams(ValueError):
    pass


class UnsupportedSignedCommand(Exception):
    """No protocol message for this command (or these params): send it over REST."""


@dataclass(frozen=True, slots=True)
class SignedPayload:
    domain: int
    payload: bytes


def flag(params: Params, name: str, default: bool | None = None) -> bool:
    value = params.get(name, default)
    if not isinstance(value, bool):
        raise InvalidCommandParams(f"{name} must be true or false")
    return value


def number(params: Params, name: str, low: float, high: float) -> float:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidCommandParams(f"{name} must be a number from {low:g} to {high:g}")
    return float(value)


def integer(params: Params, name: str, low: int, high: int) -> int:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidCommandParams(f"{name} must be a whole number from {low} to {high}")
    return value


def text(params: Params, name: str, default: str | None = None) -> str:
    value = params.get(name, default)
    if not isinstance(value, str):
        raise InvalidCommandParams(f"{name} must be a string")
    return value


def choice(params: Params, name: str, choices: tuple[str, ...]) -> str:
    value = params.get(name)
    if value not in choices:
        raise InvalidCommandParams(f"{name} must be one of {', '.join(choices)}")
    return str(value)


def rke(action: int) -> SignedPayload:
    return SignedPayload(DOMAIN_VEHICLE_SECURITY, vcsec.UnsignedMessage(RKEAction=action).SerializeToString())  # type: ignore[arg-type]


def closure(**moves: int) -> SignedPayload:
    request = vcsec.ClosureMoveRequest(**moves)  # type: ignore[arg-type]
    return SignedPayload(DOMAIN_VEHICLE_SECURITY, vcsec.UnsignedMessage(closureMoveRequest=request).SerializeToString())


def car(**vehicle_action: Any) -> SignedPayload:
    action = cs.Action(vehicleAction=cs.VehicleAction(**vehicle_action))
    return SignedPayload(DOMAIN_INFOTAINMENT, action.SerializeToString())
