"""What a vehicle does with a command, whichever way it arrived (REST `command/<name>` or `signed_command`).

Names and parameters are the REST ones; the signed path decodes its protobuf into the same name and params.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fleetgate.simulator.vehicles.state import Vehicle
from fleetgate.simulator.world import World

CHARGING_OR_COMMANDS = ("vehicle_cmds", "vehicle_charging_cmds")
COMMANDS_ONLY = ("vehicle_cmds",)


class UnknownCommand(Exception):
    pass


class InvalidParameter(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CommandOutcome:
    result: bool
    reason: str = ""


def required_scopes(name: str) -> tuple[str, ...]:
    """Any one of these scopes allows the command; unknown names raise `UnknownCommand`."""
    raise UnknownCommand(name)


def execute(
    world: World,
    vehicle: Vehicle,
    name: str,
    params: dict[str, Any],
    *,
    via: Literal["rest", "signed"],
    client_id: str | None,
) -> CommandOutcome:
    raise UnknownCommand(name)
