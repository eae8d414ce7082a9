"""What a vehicle does with a command, whichever way it arrived (REST `command/<name>` or `signed_command`).

Names and parameters are the REST ones; the signed path decodes its protobuf into the same name and params.

`execute` assumes the car can be reached: whoever calls it answers for a car that is asleep or offline (408 on
REST). It brings the car to simulated time, runs the rule, counts the command as activity (the car stays awake
for another idle period) and records it in `vehicle.executed`, refusals included. Parameters the car cannot use
raise `InvalidParameter` before anything changes, and such a command is not recorded: it never reached the car.
"""

from __future__ import annotations

from typing import Any, Literal

from fleetgate.simulator.vehicles.body_rules import BODY_RULES
from fleetgate.simulator.vehicles.charging_rules import CHARGING_RULES
from fleetgate.simulator.vehicles.climate_rules import CLIMATE_RULES
from fleetgate.simulator.vehicles.infotainment_rules import INFOTAINMENT_RULES
from fleetgate.simulator.vehicles.outcomes import DONE, CommandOutcome, InvalidParameter, Rule
from fleetgate.simulator.vehicles.vehicle import ExecutedCommand, Vehicle
from fleetgate.simulator.world import World

__all__ = [
    "CHARGING_OR_COMMANDS",
    "COMMANDS_ONLY",
    "COMMAND_NAMES",
    "REST_ON_SIGNING_CARS",
    "SIGNED_ONLY",
    "CommandOutcome",
    "InvalidParameter",
    "UnknownCommand",
    "execute",
    "required_scopes",
]

CHARGING_OR_COMMANDS = ("vehicle_cmds", "vehicle_charging_cmds")
COMMANDS_ONLY = ("vehicle_cmds",)
# The REST wake-up endpoint needs `vehicle_device_data`; Tesla lists waking among `vehicle_cmds` too.
WAKE_SCOPES = ("vehicle_cmds", "vehicle_device_data")

# Tesla's proxy forwards these unsigned even to cars that require signed commands, so REST must take them.
REST_ON_SIGNING_CARS = frozenset({"navigation_request"})
# Waking is its own REST endpoint (`wake_up`); as a command it exists only as the signed VCSEC wake.
SIGNED_ONLY = frozenset({"wake_up"})


class UnknownCommand(Exception):
    pass


def _wake_up(vehicle: Vehicle, params: dict[str, Any], now: float) -> CommandOutcome:
    vehicle.request_wake(now)
    return DONE


RULES: dict[str, Rule] = {
    **BODY_RULES,
    **CLIMATE_RULES,
    **INFOTAINMENT_RULES,
    **CHARGING_RULES,
    "wake_up": _wake_up,
}
COMMAND_NAMES = frozenset(RULES)


def required_scopes(name: str) -> tuple[str, ...]:
    """Any one of these scopes allows the command; unknown names raise `UnknownCommand`."""
    if name not in RULES:
        raise UnknownCommand(name)
    if name in CHARGING_RULES:
        return CHARGING_OR_COMMANDS
    if name == "wake_up":
        return WAKE_SCOPES
    return COMMANDS_ONLY


def execute(
    world: World,
    vehicle: Vehicle,
    name: str,
    params: dict[str, Any],
    *,
    via: Literal["rest", "signed"],
    client_id: str | None,
) -> CommandOutcome:
    rule = RULES.get(name)
    if rule is None:
        raise UnknownCommand(name)
    now = world.now()
    vehicle.advance(now)
    outcome = rule(vehicle, params, now)
    vehicle.touch(now)
    vehicle.executed.append(
        ExecutedCommand(
            at=now,
            name=name,
            params=dict(params),
            via=via,
            result=outcome.result,
            reason=outcome.reason,
            client_id=client_id,
        )
    )
    vehicle.advance(now)  # settles what the command changed (a plug, a door) before anyone reads it
    return outcome
