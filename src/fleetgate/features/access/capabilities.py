"""What a device can do, from the connection's granted scopes, its status and (for commands) the virtual key.

Pure functions: no database, no Tesla. An unavailable capability says why (`reason`, a machine code) and what
fixes it (`remedy`): the access to ask for again with the reconnect and manage-access links, or the pairing link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fleetgate.infra.models.connection import ConnectionStatus

VEHICLE, ENERGY_SITE = "vehicle", "energy_site"
DEVICE_TYPES = (VEHICLE, ENERGY_SITE)
# Scopes that make `products` list a kind of device at all.
VEHICLE_SCOPES = frozenset({"vehicle_device_data", "vehicle_location", "vehicle_cmds", "vehicle_charging_cmds"})
ENERGY_SCOPES = frozenset({"energy_device_data", "energy_cmds"})

MISSING_SCOPE = "missing_scope"
VIRTUAL_KEY_NOT_PAIRED = "virtual_key_not_paired"
CONNECTION_NEEDS_RECONNECT = "connection_needs_reconnect"
CONNECTION_REVOKED = "connection_revoked"
DEVICE_REMOVED = "device_removed"


@dataclass(frozen=True, slots=True)
class Rule:
    any_of_scopes: tuple[str, ...]
    # What a reconnect should ask for when none of the scopes is there (the narrowest access that is enough).
    access: str
    needs_virtual_key: bool = False


RULES: dict[str, dict[str, Rule]] = {
    VEHICLE: {
        "read_data": Rule(("vehicle_device_data",), "vehicle_data"),
        "read_location": Rule(("vehicle_location",), "vehicle_location"),
        "commands": Rule(("vehicle_cmds",), "vehicle_commands", needs_virtual_key=True),
        "charging_commands": Rule(
            ("vehicle_charging_cmds", "vehicle_cmds"), "vehicle_charging_commands", needs_virtual_key=True
        ),
    },
    ENERGY_SITE: {
        "energy_data": Rule(("energy_device_data",), "energy_data"),
        "energy_commands": Rule(("energy_cmds",), "energy_commands"),
    },
}
CAPABILITY_NAMES = tuple(name for rules in RULES.values() for name in rules)


@dataclass(frozen=True, slots=True)
class Capability:
    available: bool
    reason: str | None = None
    remedy: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ConnectionFacts:
    status: str  # active | needs_reconnect | revoked
    scopes: frozenset[str]
    reconnect_url: str
    manage_access_url: str


@dataclass(frozen=True, slots=True)
class VirtualKeyFacts:
    required: bool
    paired: bool | None  # None: not checked yet
    pairing_url: str


AVAILABLE = Capability(available=True)


def capability(
    rule: Rule, connection: ConnectionFacts, device_status: str, virtual_key: VirtualKeyFacts | None
) -> Capability:
    links = {"reconnect_url": connection.reconnect_url, "manage_access_url": connection.manage_access_url}
    if connection.status == ConnectionStatus.NEEDS_RECONNECT:
        return Capability(False, CONNECTION_NEEDS_RECONNECT, links)
    if connection.status != ConnectionStatus.ACTIVE:
        return Capability(False, CONNECTION_REVOKED, {"reconnect_url": connection.reconnect_url})
    if device_status != ConnectionStatus.ACTIVE:
        return Capability(False, DEVICE_REMOVED)
    if connection.scopes.isdisjoint(rule.any_of_scopes):
        return Capability(False, MISSING_SCOPE, {"missing_access": [rule.access], **links})
    # Only a `paired: false` from Tesla blocks: until the key was checked, Tesla's answer to the command decides.
    if rule.needs_virtual_key and virtual_key is not None and virtual_key.required and virtual_key.paired is False:
        return Capability(False, VIRTUAL_KEY_NOT_PAIRED, {"pairing_url": virtual_key.pairing_url})
    return AVAILABLE


def device_capabilities(
    device_type: str, connection: ConnectionFacts, device_status: str, virtual_key: VirtualKeyFacts | None = None
) -> dict[str, Capability]:
    return {name: capability(rule, connection, device_status, virtual_key) for name, rule in RULES[device_type].items()}


def sees_device_type(device_type: str, scopes: Iterable[str]) -> bool:
    """Whether `products` shows devices of this type to a token with these scopes."""
    return not (VEHICLE_SCOPES if device_type == VEHICLE else ENERGY_SCOPES).isdisjoint(scopes)
