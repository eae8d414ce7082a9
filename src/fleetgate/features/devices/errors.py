"""The API's errors about a device: a capability refused (by the one decision of `access.capabilities`), a car that
is not online."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fleetgate.features.access.capabilities import (
    CONNECTION_NEEDS_RECONNECT,
    CONNECTION_REVOKED,
    DEVICE_REMOVED,
    MISSING_SCOPE,
    Capability,
    ConnectionFacts,
    Decision,
    VirtualKeyFacts,
    decide,
)
from fleetgate.features.connections.errors import needs_reconnect_error, revoked_error
from fleetgate.features.connections.tesla_errors import VirtualKeyNotPaired
from fleetgate.infra.db.base import iso
from fleetgate.infra.errors import APIError, Gone, InsufficientScope, VehicleAsleep
from fleetgate.tesla.wake import NotOnline, WakePolicy

ASLEEP_NOTE = (
    "Waking the car costs a billed wake (ten times the price of a data read at Tesla's rates) and battery: "
    "a woken car stays awake for a while."
)
WAKE_TIMEOUT_NOTE = "The car may be out of coverage or switched off. Each new try costs another billed wake."


class DeviceRemoved(Gone):
    code = "device_removed"


class WakeTimeout(APIError):
    status = 504
    code = "wake_timeout"


class VehicleUnreachable(APIError):
    """Woken, then not reachable for what it was woken for."""

    status = 409
    code = "vehicle_unavailable"

    def __init__(self, message: str) -> None:
        super().__init__(message, remedy={"note": "It may have lost its connection; try again later."})


def refusal_error(
    decision: Decision,
    capability: Capability,
    connection: ConnectionFacts,
    device_id: str,
    what: str,
    virtual_key: VirtualKeyFacts | None = None,
) -> APIError:
    """The error of a refused `decision`; `what` names the operation, as in "{what} needs the … access";
    `virtual_key`: the facts the decision was made with, if the key was part of it."""
    if decision.reason == CONNECTION_NEEDS_RECONNECT:
        return needs_reconnect_error(connection.id, connection.status_reason, connection.links)
    if decision.reason == CONNECTION_REVOKED:
        return revoked_error(connection.id, connection.links)
    if decision.reason == DEVICE_REMOVED:
        return DeviceRemoved(
            f"Device {device_id} is no longer on the Tesla account of connection {connection.id}.",
            remedy={"action": "sync", "sync_url": f"/v1/connections/{connection.id}/sync"},
            device_id=device_id,
        )
    if decision.reason == MISSING_SCOPE:
        return InsufficientScope(
            f"{what} needs the `{capability.access}` access, which the user did not grant.",
            remedy=decision.remedy,
            capability=capability.name,
            missing_scopes=list(capability.any_of_scopes),
        )
    car = virtual_key.vehicle if virtual_key is not None else "the vehicle"
    checked = virtual_key.checked_at if virtual_key is not None else None
    said = f"Tesla said at {iso(checked)}" if checked is not None else "Tesla says"
    # The same remedy as the device's capability shows (`access.capabilities.key_remedy`).
    return VirtualKeyNotPaired(
        f"{what} was refused before being queued: it needs the application's virtual key on {car}, and {said} that "
        "the owner has not paired it, so the car would refuse it (after a billed wake if it is asleep).",
        remedy=decision.remedy,
        device_id=device_id,
    )


def require(
    capability: Capability,
    connection: ConnectionFacts,
    device_status: str,
    device_id: str,
    what: str,
    virtual_key: VirtualKeyFacts | None = None,
) -> None:
    """Raises the refusal's error unless the device can do it now."""
    decision = decide(capability, connection, device_status, virtual_key)
    if not decision.available:
        raise refusal_error(decision, capability, connection, device_id, what, virtual_key)


def wake_timeout_error(error: NotOnline, policy: WakePolicy, *, more: str = "", **details: Any) -> WakeTimeout:
    return WakeTimeout(
        f"Tesla was asked to wake the vehicle, and it was still {error.online_state} after "
        f"{policy.timeout_seconds:g} s.{more}",
        remedy={"note": WAKE_TIMEOUT_NOTE},
        **details,
    )


def not_online_error(
    error: NotOnline, policy: WakePolicy, last: tuple[dict[str, Any], datetime, float] | None
) -> APIError:
    """A state read's answer for a car that is not online; `last` is its last known state (data, when, age)."""
    data, at, age = last if last is not None else (None, None, None)
    details: dict[str, Any] = {
        "online_state": error.online_state,
        "last_known_state": data,
        "last_known_at": iso(at) if at is not None else None,
        "age_seconds": round(age, 3) if age is not None else None,
        "woken": error.woken,
    }
    # A car never read has no last state to point to: the message says so rather than name a null field.
    known = (
        " Its last known state is in `last_known_state`."
        if data is not None
        else " fleetgate has not read it before, so there is no last known state."
    )
    if error.timed_out:
        return wake_timeout_error(error, policy, more=known, **details)
    because = error.reason or ("fleetgate did not wake it" if not error.woken else "it did not stay awake")
    return VehicleAsleep(
        f"The vehicle is {error.online_state} ({because}), so its data was not read.{known}",
        remedy={"retry_with": "wake=true", "note": ASLEEP_NOTE},
        **details,
    )
