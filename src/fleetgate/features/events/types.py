"""The event types, by category. Every type's payload is at version 1; a change of its shape gets a new version.

`data` is the object as the API shows it at that moment: a connection for `connection.*`, a device for `device.*`
and `virtual_key.*`, a command for `command.*`, a telemetry config for `telemetry.*`.
"""

from __future__ import annotations

CONNECTION_CREATED = "connection.created"
CONNECTION_UPDATED = "connection.updated"  # reconnected, scopes changed, region changed
CONNECTION_NEEDS_RECONNECT = "connection.needs_reconnect"
# Also `needs_reconnect`: the same Tesla account was connected again elsewhere, which ended this one's tokens.
CONNECTION_SUPERSEDED = "connection.superseded"
CONNECTION_REVOKED = "connection.revoked"
DEVICE_DISCOVERED = "device.discovered"  # new to the connection, or listed again after it was removed
DEVICE_UPDATED = "device.updated"
DEVICE_REMOVED = "device.removed"
# A known pairing state flipping; the state seen at discovery is part of `device.discovered`.
VIRTUAL_KEY_PAIRED = "virtual_key.paired"
VIRTUAL_KEY_UNPAIRED = "virtual_key.unpaired"
COMMAND_SUCCEEDED = "command.succeeded"
COMMAND_FAILED = "command.failed"
COMMAND_CANCELLED = "command.cancelled"
COMMAND_EXPIRED = "command.expired"
# A field a car streams (Fleet Telemetry) changed: `data` names the device, the field, its value and the one before.
VEHICLE_CHARGING_STATE_CHANGED = "vehicle.charging_state_changed"
VEHICLE_LOCATION_CHANGED = "vehicle.location_changed"
# An alert the car streamed (the config's `alert_types`): its name, audiences and when it started or ended.
VEHICLE_ALERT = "vehicle.alert"
# A vehicle's telemetry config: the car took it, Tesla reported an error of it, or it is no longer at Tesla.
TELEMETRY_SYNCED = "telemetry.synced"
TELEMETRY_FAILED = "telemetry.failed"
TELEMETRY_REMOVED = "telemetry.removed"
# A day's signals budget spent: the config removed at Tesla until the next day (`paused_budget`).
TELEMETRY_PAUSED = "telemetry.paused"
# Sent on demand to one endpoint (`POST /v1/webhook-endpoints/{id}/test`), whatever its filter.
WEBHOOK_TEST = "webhook.test"

EVENT_TYPES: tuple[str, ...] = (
    CONNECTION_CREATED,
    CONNECTION_UPDATED,
    CONNECTION_NEEDS_RECONNECT,
    CONNECTION_SUPERSEDED,
    CONNECTION_REVOKED,
    DEVICE_DISCOVERED,
    DEVICE_UPDATED,
    DEVICE_REMOVED,
    VIRTUAL_KEY_PAIRED,
    VIRTUAL_KEY_UNPAIRED,
    COMMAND_SUCCEEDED,
    COMMAND_FAILED,
    COMMAND_CANCELLED,
    COMMAND_EXPIRED,
    VEHICLE_CHARGING_STATE_CHANGED,
    VEHICLE_LOCATION_CHANGED,
    VEHICLE_ALERT,
    TELEMETRY_SYNCED,
    TELEMETRY_FAILED,
    TELEMETRY_REMOVED,
    TELEMETRY_PAUSED,
    WEBHOOK_TEST,
)
CATEGORIES: frozenset[str] = frozenset(name.split(".", 1)[0] for name in EVENT_TYPES)
VERSIONS: dict[str, int] = dict.fromkeys(EVENT_TYPES, 1)
ALL = "*"


def is_pattern(text: str) -> bool:
    """An endpoint filter or a `?type=` query: a type, `<category>.*`, or `*`."""
    if text == ALL or text in EVENT_TYPES:
        return True
    category, dot, rest = text.partition(".")
    return bool(dot) and rest == ALL and category in CATEGORIES


def matches(patterns: list[str], event_type: str) -> bool:
    category = event_type.split(".", 1)[0]
    return any(pattern in (ALL, event_type, f"{category}.*") for pattern in patterns)
