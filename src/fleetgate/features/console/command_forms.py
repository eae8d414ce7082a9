"""The catalogue's commands as console forms: one per command of the device's type, its fields from the command's
parameter model, and whether the device's capabilities allow it (with the reason when not)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fleetgate.features.commands.catalog import CATALOG, CommandSpec
from fleetgate.features.console.device_views import REASONS
from fleetgate.features.devices.schemas import CapabilityOut

PARAM_PREFIX = "param."


@dataclass(frozen=True, slots=True)
class ParamField:
    name: str
    label: str
    kind: str  # integer | number | boolean | choice
    required: bool
    description: str | None
    minimum: float | None
    maximum: float | None
    choices: tuple[str, ...]

    @property
    def input_name(self) -> str:
        return PARAM_PREFIX + self.name


@dataclass(frozen=True, slots=True)
class CommandForm:
    name: str
    description: str
    fields: list[ParamField]
    available: bool
    reason: str | None
    explanation: str | None
    remedy: dict[str, Any] | None


def _field(name: str, schema: dict[str, Any], required: bool) -> ParamField:
    options = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    shape = options[0] if options else schema
    if "enum" in shape:
        kind = "choice"
    elif shape.get("type") in ("integer", "number", "boolean"):
        kind = str(shape["type"])
    else:
        kind = "choice"
    return ParamField(
        name=name,
        label=str(schema.get("title") or name),
        kind=kind,
        required=required,
        description=schema.get("description"),
        minimum=shape.get("minimum"),
        maximum=shape.get("maximum"),
        choices=tuple(str(choice) for choice in shape.get("enum", ())),
    )


def fields_of(spec: CommandSpec) -> list[ParamField]:
    schema = spec.params.model_json_schema()
    required = set(schema.get("required", ()))
    return [_field(name, found, name in required) for name, found in schema.get("properties", {}).items()]


def command_forms(device_type: str, capabilities: Mapping[str, CapabilityOut]) -> list[CommandForm]:
    forms = []
    for spec in CATALOG:
        if spec.device_type != device_type:
            continue
        decision = capabilities.get(spec.capability)
        available = decision is not None and decision.available
        reason = decision.reason if decision is not None else None
        forms.append(
            CommandForm(
                spec.name,
                spec.description,
                fields_of(spec),
                available,
                reason,
                REASONS.get(reason or "", reason),
                decision.remedy if decision is not None else None,
            )
        )
    return forms


def params_from(form: Mapping[str, Any]) -> dict[str, str]:
    """The form's parameters as typed (strings; the command's model converts them, as it does JSON), blanks left
    out so that optional parameters stay unset."""
    return {
        name.removeprefix(PARAM_PREFIX): text
        for name, text in form.items()
        if name.startswith(PARAM_PREFIX) and isinstance(text, str) and text.strip()
    }
