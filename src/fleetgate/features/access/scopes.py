"""Access names (what an application asks for) and the Tesla scopes behind them.

`openid offline_access` are always requested: without them there is no refresh token and no identity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ALWAYS_REQUESTED_SCOPES = ("openid", "offline_access")


@dataclass(frozen=True, slots=True)
class Access:
    name: str
    scope: str
    title: str
    why: str  # shown to the end user on the hosted page


ACCESS: tuple[Access, ...] = (
    Access("vehicle_data", "vehicle_device_data", "Vehicle information", "read battery, charging and climate state"),
    Access("vehicle_location", "vehicle_location", "Vehicle location", "see where your vehicles are"),
    Access(
        "vehicle_commands",
        "vehicle_cmds",
        "Vehicle commands",
        "lock and unlock, run the climate and send other commands",
    ),
    Access(
        "vehicle_charging_commands",
        "vehicle_charging_cmds",
        "Charging management",
        "start and stop charging and set charge limits",
    ),
    Access("energy_data", "energy_device_data", "Energy information", "read Powerwall and solar status and history"),
    Access("energy_commands", "energy_cmds", "Energy settings", "change backup reserve, operation and storm mode"),
    Access("user_profile", "user_data", "Profile", "read your name and email address"),
)
ACCESS_BY_NAME = {access.name: access for access in ACCESS}
ACCESS_BY_SCOPE = {access.scope: access for access in ACCESS}
ACCESS_NAMES = tuple(ACCESS_BY_NAME)


class UnknownAccess(ValueError):
    def __init__(self, names: list[str]) -> None:
        super().__init__(f"unknown access: {', '.join(names)}; known: {', '.join(ACCESS_NAMES)}")
        self.names = names


def validate_access(names: Iterable[str]) -> list[str]:
    """Deduplicated, in catalogue order; unknown names raise `UnknownAccess`."""
    wanted = set(names)
    unknown = sorted(wanted - set(ACCESS_NAMES))
    if unknown:
        raise UnknownAccess(unknown)
    return [name for name in ACCESS_NAMES if name in wanted]


def scopes_for(access_names: Iterable[str]) -> list[str]:
    return [*ALWAYS_REQUESTED_SCOPES, *(ACCESS_BY_NAME[name].scope for name in access_names)]


def granted_access(scopes: Iterable[str]) -> list[str]:
    """Access names whose scope was granted; scopes we do not know yet are ignored here but kept on the connection."""
    granted = set(scopes)
    return [access.name for access in ACCESS if access.scope in granted]


def missing_access(requested: Iterable[str], scopes: Iterable[str]) -> list[str]:
    granted = set(granted_access(scopes))
    return [name for name in requested if name not in granted]
