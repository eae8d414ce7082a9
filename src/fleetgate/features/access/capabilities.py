"""What a device can do: the one access table, and the one decision whether a device can do it now.

Every capability names the scopes that allow it (any one is enough), the access a reconnect asks for when none was
granted, and whether a car that requires signed commands also needs the app's virtual key. State reads, commands
(the catalogue names the capability each needs) and the devices' `capabilities` all decide with `decide`, which
checks in one order, the first failure being the reason:

1. the connection can reach Tesla: `connection_needs_reconnect`, `connection_revoked` (a reconnect fixes either,
   and brings the devices back);
2. the device is still on the account: `device_removed` (a sync finds it again if it comes back);
3. one of the capability's scopes was granted: `missing_scope`, with the access to ask for;
4. the car knows the app's key, when the capability needs it and Tesla said it does not: `virtual_key_not_paired`,
   with the pairing link, and how to send a command all the same (`if_key_missing`, see `commands.schemas`).
   Commands need the key only on cars that require signed commands; streaming (`telemetry`) needs it on every car,
   since Tesla accepts a telemetry config only for a car that knows the app's key;
5. the car's software is recent enough, for a capability that needs a version and when Tesla said the car's
   (`fleet_status`): `unsupported_firmware`, with the update as its remedy.

Pure functions: no database, no Tesla.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.models.device import DeviceStatus

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
UNSUPPORTED_FIRMWARE = "unsupported_firmware"

# A command's body field, and its value that sends the command to a car said to lack the key all the same.
IF_KEY_MISSING, TRY_ANYWAY = "if_key_missing", "try"


@dataclass(frozen=True, slots=True)
class Capability:
    name: str
    device_type: str
    title: str  # as the console shows it
    any_of_scopes: tuple[str, ...]
    # What a reconnect asks for when none of the scopes is there (the narrowest access that is enough).
    access: str
    needs_virtual_key: bool = False
    # The key is needed whatever the car's `command_signing` (see `VirtualKeyFacts.required`).
    key_on_every_car: bool = False
    # The oldest software the car may run, as Tesla numbers versions (2024.26 for 2024.26.x).
    min_firmware: tuple[int, ...] | None = None


CAPABILITIES: tuple[Capability, ...] = (
    Capability("read_data", VEHICLE, "Read vehicle data", ("vehicle_device_data",), "vehicle_data"),
    Capability("read_location", VEHICLE, "Read the location", ("vehicle_location",), "vehicle_location"),
    Capability("commands", VEHICLE, "Send commands", ("vehicle_cmds",), "vehicle_commands", needs_virtual_key=True),
    Capability(
        "charging_commands",
        VEHICLE,
        "Send charging commands",
        ("vehicle_charging_cmds", "vehicle_cmds"),
        "vehicle_charging_commands",
        needs_virtual_key=True,
    ),
    # Tesla's charging history (`dx/charging/history`) is a read, not a command: no key, only its own scope.
    Capability(
        "charging_history",
        VEHICLE,
        "Read charging history",
        ("vehicle_charging_cmds",),
        "vehicle_charging_commands",
    ),
    # Tesla's wake_up takes a token with either scope; waking needs no key (it is not a signed command).
    Capability("wake", VEHICLE, "Wake the car", ("vehicle_cmds", "vehicle_device_data"), "vehicle_commands"),
    # Fleet Telemetry: the car streams the configured fields; location fields also need `read_location`'s scope.
    Capability(
        "telemetry",
        VEHICLE,
        "Stream telemetry",
        ("vehicle_device_data",),
        "vehicle_data",
        needs_virtual_key=True,
        key_on_every_car=True,
        min_firmware=(2024, 26),
    ),
    Capability("energy_data", ENERGY_SITE, "Read energy data", ("energy_device_data",), "energy_data"),
    Capability("energy_commands", ENERGY_SITE, "Change energy settings", ("energy_cmds",), "energy_commands"),
)
BY_DEVICE_TYPE: Mapping[str, Mapping[str, Capability]] = {
    kind: {capability.name: capability for capability in CAPABILITIES if capability.device_type == kind}
    for kind in DEVICE_TYPES
}
CAPABILITY_NAMES = tuple(capability.name for capability in CAPABILITIES)


@dataclass(frozen=True, slots=True)
class Decision:
    available: bool
    reason: str | None = None
    remedy: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ConnectionFacts:
    id: str
    status: str  # a ConnectionStatus
    status_reason: str | None
    scopes: frozenset[str]
    # `connections.remedies.connection_remedies`: the reconnect API call, the user's reconnect link, Tesla's page.
    remedies: Mapping[str, str]

    @property
    def links(self) -> dict[str, str]:
        return dict(self.remedies)

    @property
    def reconnect_links(self) -> dict[str, str]:
        """Once the connection is revoked, Tesla's page has no access left to change: only reconnecting helps."""
        return {name: link for name, link in self.remedies.items() if name.startswith("reconnect")}


@dataclass(frozen=True, slots=True)
class VirtualKeyFacts:
    required: bool
    paired: bool | None  # None: not checked yet
    pairing_url: str
    # The API call that asks Tesla again, once the owner has paired the key.
    check_url: str | None = None
    # For a refusal's message: the car as its owner knows it, and when Tesla last said whether it has the key.
    vehicle: str = "the vehicle"
    checked_at: datetime | None = None
    # The car's software version, as `fleet_status` last said (None: not said).
    firmware: str | None = None


AVAILABLE = Decision(available=True)


def decide(
    capability: Capability, connection: ConnectionFacts, device_status: str, virtual_key: VirtualKeyFacts | None
) -> Decision:
    """`virtual_key` None: the key is not part of this decision (Tesla's answer to the command will decide)."""
    if connection.status == ConnectionStatus.NEEDS_RECONNECT:
        return Decision(False, CONNECTION_NEEDS_RECONNECT, connection.links)
    if connection.status != ConnectionStatus.ACTIVE:
        return Decision(False, CONNECTION_REVOKED, connection.reconnect_links)
    if device_status != DeviceStatus.ACTIVE:
        return Decision(False, DEVICE_REMOVED)
    if connection.scopes.isdisjoint(capability.any_of_scopes):
        return Decision(False, MISSING_SCOPE, {"missing_access": [capability.access], **connection.links})
    # Only a `paired: false` from Tesla blocks: until the key was checked, Tesla's answer to the command decides.
    key = virtual_key if capability.needs_virtual_key else None
    if key is not None and (key.required or capability.key_on_every_car) and key.paired is False:
        # A config Tesla would skip has nothing to try anyway: only commands offer that.
        return Decision(False, VIRTUAL_KEY_NOT_PAIRED, key_remedy(key, try_anyway=not capability.key_on_every_car))
    firmware = virtual_key.firmware if virtual_key is not None else None
    minimum = capability.min_firmware
    if minimum is not None and firmware is not None and not firmware_at_least(firmware, minimum):
        return Decision(False, UNSUPPORTED_FIRMWARE, firmware_remedy(firmware, minimum))
    return AVAILABLE


_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def firmware_at_least(version: str, minimum: tuple[int, ...]) -> bool:
    """Tesla's versions (`2024.44.32.1`, maybe followed by a build hash) by their numbers; one that does not read
    as a version is not judged (True): Tesla decides."""
    match = _VERSION.match(version.strip())
    if match is None:
        return True
    return tuple(int(part) for part in match.groups() if part is not None) >= minimum


def firmware_remedy(version: str, minimum: tuple[int, ...]) -> dict[str, Any]:
    wanted = ".".join(str(part) for part in minimum)
    return {
        "action": "update_software",
        "note": f"The car runs {version}; this needs {wanted} or later. The owner installs the update (Tesla app: "
        "Software; the car updates over Wi-Fi), then fleetgate learns the new version at the next device sync.",
    }


def key_remedy(key: VirtualKeyFacts, *, try_anyway: bool = True) -> dict[str, Any]:
    """What helps a car that lacks the app's key: the owner pairs it, then Tesla is asked again. With `try_anyway`,
    sending a command anyway is offered too, for a caller who knows better than Tesla's last word."""
    remedy: dict[str, Any] = {"action": "pair_virtual_key", "pairing_url": key.pairing_url}
    then = ""
    if key.check_url is not None:
        remedy["check_url"] = key.check_url
        then = " Then `POST check_url` (free: it wakes nothing) so that fleetgate knows."
    if not try_anyway:
        remedy["note"] = f"The owner opens the pairing link on the phone with the Tesla app and approves the key.{then}"
        return remedy
    remedy["retry_with"] = {IF_KEY_MISSING: TRY_ANYWAY}
    remedy["note"] = (
        f"The owner opens the pairing link on the phone with the Tesla app and approves the key.{then} To send a "
        f'command all the same, submit it with "{IF_KEY_MISSING}": "{TRY_ANYWAY}": if the car is asleep it is woken '
        "(a billed wake), and it refuses the command unless the key was paired meanwhile."
    )
    return remedy


def device_capabilities(
    device_type: str, connection: ConnectionFacts, device_status: str, virtual_key: VirtualKeyFacts | None = None
) -> dict[str, Decision]:
    return {
        name: decide(capability, connection, device_status, virtual_key)
        for name, capability in BY_DEVICE_TYPE[device_type].items()
    }


def sees_device_type(device_type: str, scopes: Iterable[str]) -> bool:
    """Whether `products` shows devices of this type to a token with these scopes."""
    return not (VEHICLE_SCOPES if device_type == VEHICLE else ENERGY_SCOPES).isdisjoint(scopes)
