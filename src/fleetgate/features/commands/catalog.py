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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from fleetgate.features.access.capabilities import BY_DEVICE_TYPE, ENERGY_SITE, VEHICLE, Capability
from fleetgate.features.commands import params as p
from fleetgate.tesla.signing.actions import BUILDERS as SIGNED_BUILDERS

CHARGING = "charging_commands"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    device_type: str
    params: type[BaseModel]
    # The device's capability it needs (`access.capabilities`: the scopes, the access to ask for, the virtual key).
    capability: str
    idempotent: bool
    description: str
    # Energy sites: the endpoint under /energy_sites/{id}/ and the body it takes.
    energy_endpoint: str | None = None
    energy_body: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @property
    def signed(self) -> bool:
        return self.name in SIGNED_BUILDERS

    @property
    def needs(self) -> Capability:
        return BY_DEVICE_TYPE[self.device_type][self.capability]

    @property
    def access(self) -> str:
        return self.needs.access

    @property
    def scopes(self) -> tuple[str, ...]:
        return self.needs.any_of_scopes

    @property
    def needs_virtual_key(self) -> bool:
        return self.needs.needs_virtual_key

    @property
    def tesla_path(self) -> str:
        if self.device_type == ENERGY_SITE:
            return f"POST /api/1/energy_sites/{{energy_site_id}}/{self.energy_endpoint}"
        if self.name == "wake_up":
            return "POST /api/1/vehicles/{vin}/wake_up"
        if self.signed:
            return "POST /api/1/vehicles/{vin}/signed_command"
        return f"POST /api/1/vehicles/{{vin}}/command/{self.name}"

    def validate(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The params as the command is stored and sent: validated, defaults filled, unset options left out.
        Raises pydantic's `ValidationError`."""
        return self.params.model_validate(dict(raw)).model_dump(mode="json", exclude_none=True)


def _vehicle(
    name: str,
    description: str,
    *,
    capability: str = "commands",
    idempotent: bool = True,
    params: type[BaseModel] = p.NoParams,
) -> CommandSpec:
    return CommandSpec(name, VEHICLE, params, capability, idempotent, description)


def _energy(
    name: str,
    endpoint: str,
    params: type[BaseModel],
    body: Callable[[dict[str, Any]], dict[str, Any]],
    description: str,
) -> CommandSpec:
    return CommandSpec(name, ENERGY_SITE, params, "energy_commands", True, description, endpoint, body)


CATALOG: tuple[CommandSpec, ...] = (
    _vehicle("wake_up", "Wake the car (a billed wake); waits until it is online.", capability="wake"),
    _vehicle("charge_start", "Start charging.", capability=CHARGING),
    _vehicle("charge_stop", "Stop charging.", capability=CHARGING),
    _vehicle("set_charge_limit", "Set the charge limit.", capability=CHARGING, params=p.ChargeLimit),
    _vehicle("set_charging_amps", "Set the AC charging current.", capability=CHARGING, params=p.ChargingAmps),
    _vehicle("charge_port_door_open", "Open the charge port door.", capability=CHARGING),
    _vehicle("charge_port_door_close", "Close the charge port door.", capability=CHARGING),
    _vehicle(
        "set_scheduled_charging", "Start charging at a time of day.", capability=CHARGING, params=p.ScheduledCharging
    ),
    _vehicle("door_lock", "Lock the doors."),
    _vehicle("door_unlock", "Unlock the doors."),
    _vehicle("auto_conditioning_start", "Start the climate control."),
    _vehicle("auto_conditioning_stop", "Stop the climate control."),
    _vehicle("set_temps", "Set the cabin temperatures.", params=p.Temperatures),
    _vehicle("set_sentry_mode", "Turn Sentry Mode on or off.", params=p.SentryMode),
    _vehicle("honk_horn", "Honk the horn (each send honks again).", idempotent=False),
    _vehicle("flash_lights", "Flash the lights (each send flashes again).", idempotent=False),
    # A rear trunk command moves it whichever way it is: sent twice, it may close what it opened.
    _vehicle("actuate_trunk", "Open (or move) the front or rear trunk.", idempotent=False, params=p.Trunk),
    _energy(
        "set_backup_reserve",
        "backup",
        p.Percent,
        lambda v: {"backup_reserve_percent": v["percent"]},
        "Set the share of the Powerwall kept for outages.",
    ),
    _energy(
        "set_operation_mode",
        "operation",
        p.OperationMode,
        lambda v: {"default_real_mode": v["mode"]},
        "Self-powered, time-based control or backup-only.",
    ),
    _energy(
        "set_storm_mode",
        "storm_mode",
        p.StormMode,
        lambda v: {"enabled": v["enabled"]},
        "Charge the Powerwall fully ahead of severe weather alerts.",
    ),
    _energy(
        "set_grid_import_export",
        "grid_import_export",
        p.GridImportExport,
        dict,
        "What the site may export to the grid and whether it charges from it.",
    ),
    _energy(
        "set_off_grid_vehicle_charging_reserve",
        "off_grid_vehicle_charging_reserve",
        p.Percent,
        lambda v: {"off_grid_vehicle_charging_reserve_percent": v["percent"]},
        "During an outage, stop vehicle charging below this Powerwall level.",
    ),
)
BY_NAME: Mapping[str, CommandSpec] = {spec.name: spec for spec in CATALOG}

# Refusals that mean the car already is where the command would take it: the command succeeded.
BENIGN_REFUSALS = frozenset({"already_set", "is_charging", "not_charging"})
