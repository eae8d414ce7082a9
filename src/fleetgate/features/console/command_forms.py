"""The catalogue's commands as console forms, grouped by family: one per command of the device's type, a field per
parameter of the command's model with the input its JSON Schema calls for, and whether the device's capabilities
allow it (with the reason when not).

What a form sends is typed here as JSON would type it (numbers, booleans, an enum's own value, objects parsed), so
that the command's model judges it exactly as it judges an API call; an object or array that is not JSON is refused
here, before anything is submitted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fleetgate.features.commands.catalog import BY_NAME, CATALOG, CommandSpec
from fleetgate.features.commands.catalog_vehicle import (
    CHARGING_COMMANDS,
    CLIMATE_COMMANDS,
    CLOSURE_COMMANDS,
    INFOTAINMENT_COMMANDS,
    SECURITY_COMMANDS,
)
from fleetgate.features.console.device_views import REASONS
from fleetgate.features.devices.schemas import CapabilityOut
from fleetgate.infra.errors import ValidationFailed

PARAM_PREFIX = "param."
FAMILIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Charging", frozenset(spec.name for spec in CHARGING_COMMANDS)),
    ("Climate and seats", frozenset(spec.name for spec in CLIMATE_COMMANDS)),
    ("Doors, trunks, windows and sounds", frozenset(spec.name for spec in CLOSURE_COMMANDS)),
    ("Security and driving limits", frozenset(spec.name for spec in SECURITY_COMMANDS)),
    ("Media, navigation and software", frozenset(spec.name for spec in INFOTAINMENT_COMMANDS)),
)
# Commands of no vehicle family: wake_up, and an energy site's, which are one family of their own.
OTHER_FAMILY = {"vehicle": "Waking", "energy_site": "Energy site settings"}
BOOLEANS = {"true": True, "false": False}
EXAMPLES = {"object": ', such as {"key": "value"}', "array": ", such as [1, 2]"}


@dataclass(frozen=True, slots=True)
class ParamField:
    name: str
    label: str
    kind: str  # text | integer | number | boolean | choice | json
    required: bool
    description: str | None
    minimum: float | None
    maximum: float | None
    min_length: int | None
    max_length: int | None
    pattern: str | None
    # An enum's values as JSON has them (strings or numbers): the form shows them as text and sends them back so.
    choices: tuple[Any, ...]
    default: Any
    json_type: str | None  # for a JSON field: object or array, as the schema says, when it says

    @property
    def json_name(self) -> str:
        return f"a JSON {self.json_type}" if self.json_type in ("object", "array") else "JSON"

    @property
    def input_name(self) -> str:
        return PARAM_PREFIX + self.name

    @property
    def range_hint(self) -> str | None:
        if self.minimum is not None and self.maximum is not None:
            return f"from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"at least {self.minimum:g}"
        if self.max_length is not None and self.kind == "text":
            return f"at most {self.max_length} characters"
        return None

    def typed(self, text: str) -> Any:
        """The form's text as JSON would carry it; text that is not of the field's type is passed as it is, for
        the command's model to refuse with the API's own message."""
        try:
            if self.kind == "integer":
                return int(text)
            if self.kind == "number":
                return float(text)
        except ValueError:
            return text
        if self.kind == "boolean":
            return BOOLEANS.get(text, text)
        if self.kind == "choice":
            return next((choice for choice in self.choices if str(choice) == text), text)
        if self.kind == "json":
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValidationFailed(
                    f"{self.name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
                    field=f"params.{self.name}",
                    remedy={"message": f"Write it as {self.json_name}{EXAMPLES.get(self.json_type or '', '')}."},
                ) from None
        return text


@dataclass(frozen=True, slots=True)
class CommandForm:
    name: str
    description: str
    fields: list[ParamField]
    available: bool
    reason: str | None
    explanation: str | None
    remedy: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Family:
    title: str
    forms: list[CommandForm]

    @property
    def anchor(self) -> str:
        return "family-" + "".join(char if char.isalnum() else "-" for char in self.title.lower())


def _kind(shape: dict[str, Any]) -> str:
    if "enum" in shape:
        return "choice"
    kind = shape.get("type")
    if kind in ("integer", "number", "boolean"):
        return str(kind)
    if kind == "string":
        return "text"
    return "json"  # objects, arrays, and any shape the form cannot break down


def _field(name: str, schema: dict[str, Any], required: bool) -> ParamField:
    options = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    shape = options[0] if len(options) == 1 else schema
    return ParamField(
        name=name,
        label=str(schema.get("title") or name),
        kind=_kind(shape),
        required=required,
        description=schema.get("description"),
        minimum=shape.get("minimum"),
        maximum=shape.get("maximum"),
        min_length=shape.get("minLength"),
        max_length=shape.get("maxLength"),
        pattern=shape.get("pattern"),
        choices=tuple(shape.get("enum", ())),
        default=schema.get("default"),
        json_type=shape.get("type") if isinstance(shape.get("type"), str) else None,
    )


def fields_of(spec: CommandSpec) -> list[ParamField]:
    schema = spec.params.model_json_schema()
    required = set(schema.get("required", ()))
    return [_field(name, found, name in required) for name, found in schema.get("properties", {}).items()]


def family_of(spec: CommandSpec) -> str:
    found = next((title for title, names in FAMILIES if spec.name in names), None)
    return found or OTHER_FAMILY.get(spec.device_type, "Other")


def command_forms(device_type: str, capabilities: Mapping[str, CapabilityOut]) -> list[Family]:
    """The device type's commands by family, in the catalogue's order."""
    families: dict[str, list[CommandForm]] = {}
    for spec in CATALOG:
        if spec.device_type != device_type:
            continue
        decision = capabilities.get(spec.capability)
        reason = decision.reason if decision is not None else None
        form = CommandForm(
            spec.name,
            spec.description,
            fields_of(spec),
            decision is not None and decision.available,
            reason,
            REASONS.get(reason or "", reason),
            decision.remedy if decision is not None else None,
        )
        families.setdefault(family_of(spec), []).append(form)
    return [Family(title, forms) for title, forms in families.items()]


def typed_in(form: Mapping[str, Any]) -> dict[str, str]:
    """The form's parameters as typed, blanks left out so that optional parameters stay unset."""
    return {
        name.removeprefix(PARAM_PREFIX): text
        for name, text in form.items()
        if name.startswith(PARAM_PREFIX) and isinstance(text, str) and text.strip()
    }


def params_from(command: str, typed: Mapping[str, str]) -> dict[str, Any]:
    """The params as an API call would send them. Raises `ValidationFailed` for an object or array that is not
    JSON; a command not in the catalogue gets the text as typed (the submission refuses it)."""
    spec = BY_NAME.get(command)
    fields = {field.name: field for field in fields_of(spec)} if spec is not None else {}
    return {name: fields[name].typed(text) if name in fields else text for name, text in typed.items()}
