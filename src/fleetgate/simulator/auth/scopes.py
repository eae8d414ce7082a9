"""Tesla's OAuth scopes as the consent screen shows them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scope:
    name: str
    title: str
    description: str
    user_grantable: bool = True


SCOPES: tuple[Scope, ...] = (
    Scope("openid", "Sign in with Tesla", "Allow the app to sign you in with your Tesla credentials."),
    Scope("offline_access", "Refresh Tokens", "Allow the app to stay signed in without asking you again."),
    Scope("user_data", "Profile Information", "Contact information, home address and profile picture."),
    Scope("vehicle_device_data", "Vehicle Information", "Live data, service history and ownership details."),
    Scope("vehicle_location", "Vehicle Location", "Precise and coarse location of your vehicles."),
    Scope("vehicle_cmds", "Vehicle Commands", "Commands such as lock, unlock, climate and wake up."),
    Scope("vehicle_charging_cmds", "Vehicle Charging Management", "Start, stop and schedule charging."),
    Scope("energy_device_data", "Energy Product Information", "Live status, site information and history."),
    Scope("energy_cmds", "Energy Product Settings", "Backup reserve, operation mode and storm mode."),
    Scope("vehicle_specs", "Vehicle Specs", "Detailed vehicle specifications.", user_grantable=False),
    Scope("vehicle_pricing_info", "Vehicle Pricing", "Market and model pricing.", user_grantable=False),
    Scope("enterprise_management", "Enterprise Management", "Business and enterprise functions."),
)

SCOPES_BY_NAME = {scope.name: scope for scope in SCOPES}
# Always granted with the login itself; the consent screen shows them without a checkbox.
IMPLICIT_SCOPES = frozenset({"openid"})
