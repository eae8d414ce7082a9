"""What each whitelist role may ask the car to do.

Owner, driver and fleet-manager keys may send every command; a charging-manager key only the charging ones;
vehicle-monitor and guest keys (and anything else) no command at all. A ping changes nothing, so any key on the
whitelist may send one.
"""

from __future__ import annotations

from tesla_protocol.command import keys_pb2 as keys

from fleetgate.simulator.vehicle_side.actions import Command, Decoded, Ping

FULL_ACCESS_ROLES = frozenset({keys.ROLE_OWNER, keys.ROLE_DRIVER, keys.ROLE_FM})
CHARGING_COMMANDS = frozenset(
    {
        "charge_start",
        "charge_stop",
        "charge_standard",
        "charge_max_range",
        "set_charge_limit",
        "set_charging_amps",
        "set_scheduled_charging",
        "set_scheduled_departure",
        "charge_port_door_open",
        "charge_port_door_close",
        "add_charge_schedule",
        "remove_charge_schedule",
    }
)


def role_allows(role: int, request: Decoded) -> bool:
    if isinstance(request, Ping) or role in FULL_ACCESS_ROLES:
        return True
    if role == keys.ROLE_CHARGING_MANAGER:
        return isinstance(request, Command) and request.name in CHARGING_COMMANDS
    return False
