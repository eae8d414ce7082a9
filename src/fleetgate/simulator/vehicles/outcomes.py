"""What a command rule gives back, and how it refuses parameters it cannot use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fleetgate.simulator.vehicles.vehicle import Vehicle


class InvalidParameter(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CommandOutcome:
    result: bool
    reason: str = ""


DONE = CommandOutcome(True)


def refused(reason: str) -> CommandOutcome:
    return CommandOutcome(False, reason)


# A rule reads its parameters, changes the vehicle and says how it went; `now` is simulated time.
Rule = Callable[[Vehicle, dict[str, Any], float], CommandOutcome]
