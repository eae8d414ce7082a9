"""One command described as data (`CommandSpec`), and the two ways of writing one: `vehicle` and `energy`."""

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


def vehicle(
    name: str,
    description: str,
    *,
    capability: str = "commands",
    idempotent: bool = True,
    params: type[BaseModel] = p.NoParams,
) -> CommandSpec:
    return CommandSpec(name, VEHICLE, params, capability, idempotent, description)


def energy(
    name: str,
    endpoint: str,
    params: type[BaseModel],
    body: Callable[[dict[str, Any]], dict[str, Any]],
    description: str,
) -> CommandSpec:
    return CommandSpec(name, ENERGY_SITE, params, "energy_commands", True, description, endpoint, body)
