"""Every command the gateway sends, described as data: its device type, how Tesla takes it, the parameters it
accepts, the access it needs and whether sending it twice ends the same as sending it once.

`idempotent` decides what happens when the outcome of an attempt is unknown (a timeout after sending, a crash
mid-flight): an idempotent command is sent again, any other one ends `failed` with `outcome_unknown` rather than
honking twice or toggling a trunk back shut.

Vehicle commands go signed (Vehicle Command Protocol) when `tesla.signing.actions` has a message for them and the
car speaks the protocol, over REST otherwise (`tesla.signing.commander`). Energy commands are REST calls under
`/energy_sites/{id}/`, with their own body shape (`energy_body`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fleetgate.features.access.capabilities import VEHICLE
from fleetgate.features.commands import params as p
from fleetgate.features.commands.catalog_spec import CommandSpec, energy, vehicle
from fleetgate.features.commands.catalog_vehicle import (
    CHARGING_COMMANDS,
    CLIMATE_COMMANDS,
    CLOSURE_COMMANDS,
    INFOTAINMENT_COMMANDS,
    SECURITY_COMMANDS,
)

__all__ = ["ABSENT", "BENIGN_REFUSALS", "BY_NAME", "CATALOG", "AbsentCommand", "CommandSpec"]

ENERGY_COMMANDS: tuple[CommandSpec, ...] = (
    energy(
        "set_backup_reserve",
        "backup",
        p.Percent,
        lambda v: {"backup_reserve_percent": v["percent"]},
        "Set the share of the Powerwall kept for outages.",
    ),
    energy(
        "set_operation_mode",
        "operation",
        p.OperationMode,
        lambda v: {"default_real_mode": v["mode"]},
        "Self-powered, time-based control or backup-only.",
    ),
    energy(
        "set_storm_mode",
        "storm_mode",
        p.StormMode,
        lambda v: {"enabled": v["enabled"]},
        "Charge the Powerwall fully ahead of severe weather alerts.",
    ),
    energy(
        "set_grid_import_export",
        "grid_import_export",
        p.GridImportExport,
        dict,
        "What the site may export to the grid and whether it charges from it.",
    ),
    energy(
        "set_off_grid_vehicle_charging_reserve",
        "off_grid_vehicle_charging_reserve",
        p.Percent,
        lambda v: {"off_grid_vehicle_charging_reserve_percent": v["percent"]},
        "During an outage, stop vehicle charging below this Powerwall level.",
    ),
    energy(
        "time_of_use_settings",
        "time_of_use_settings",
        p.TimeOfUse,
        lambda v: {"tou_settings": {"tariff_content_v2": v["tariff_content_v2"]}},
        "Set the utility tariff (prices by season and time of day) that time-based control follows.",
    ),
)

CATALOG: tuple[CommandSpec, ...] = (
    vehicle("wake_up", "Wake the car (a billed wake); waits until it is online.", capability="wake"),
    *CHARGING_COMMANDS,
    *CLIMATE_COMMANDS,
    *CLOSURE_COMMANDS,
    *SECURITY_COMMANDS,
    *INFOTAINMENT_COMMANDS,
    *ENERGY_COMMANDS,
)
BY_NAME: Mapping[str, CommandSpec] = {spec.name: spec for spec in CATALOG}

# Refusals that mean the car already is where the command would take it: the command succeeded.
BENIGN_REFUSALS = frozenset({"already_set", "is_charging", "not_charging"})


@dataclass(frozen=True, slots=True)
class AbsentCommand:
    """A command a developer may know from Tesla's pages or tools that the gateway does not send, and why."""

    name: str
    device_type: str
    reason: str


_PROXY_ONLY = (
    "Not in Tesla's Fleet API command list: only Tesla's own command proxy sends it, as a signed message, and "
    "fleetgate sends what Tesla documents."
)

ABSENT: tuple[AbsentCommand, ...] = (
    AbsentCommand(
        "upcoming_calendar_entries",
        VEHICLE,
        "Tesla's phone app syncs the owner's phone calendar with it: calendar_data is that app's own encoding of "
        "the phone's calendar, which a gateway has no source for, and Tesla's command proxy does not take it.",
    ),
    AbsentCommand(
        "take_drivenote",
        VEHICLE,
        "Withdrawn: no longer in Tesla's command list, and Tesla's command proxy does not take it.",
    ),
    AbsentCommand("set_low_power_mode", VEHICLE, _PROXY_ONLY),
    AbsentCommand("keep_accessory_power_mode", VEHICLE, _PROXY_ONLY),
    AbsentCommand("open_tonneau", VEHICLE, _PROXY_ONLY),
    AbsentCommand("close_tonneau", VEHICLE, _PROXY_ONLY),
    AbsentCommand("stop_tonneau", VEHICLE, _PROXY_ONLY),
    AbsentCommand("parental_controls_*", VEHICLE, _PROXY_ONLY),
)
