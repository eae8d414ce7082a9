"""Access names (what an application asks for) and the Tesla scopes behind them.

`openid offline_access` are always requested: without them there is no refresh token and no identity. Tesla's
consent page shows `offline_access` as "Refresh Tokens", unticked at first; a user who leaves it so connects an
account that stops working when the access token ends (8 hours). So it counts as access like any other:
missing, it is named in `missing_access` (as `offline_access`), with the same remedies.
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
# Asked for in every consent, never chosen by the application (not in `ACCESS_NAMES`).
STAY_CONNECTED = Access(
    "offline_access",
    "offline_access",
    "Stay connected",
    "keep working after the first 8 hours without asking you again",
)
ACCESS_BY_NAME = {access.name: access for access in (STAY_CONNECTED, *ACCESS)}
ACCESS_BY_SCOPE = {access.scope: access for access in ACCESS}
ACCESS_NAMES = tuple(access.name for access in ACCESS)


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
    """What was asked for and not granted, `offline_access` first (it is always asked for)."""
    given = set(scopes)
    granted = set(granted_access(given))
    without_refresh = [] if STAY_CONNECTED.scope in given else [STAY_CONNECTED.name]
    return [*without_refresh, *(name for name in requested if name not in granted)]
