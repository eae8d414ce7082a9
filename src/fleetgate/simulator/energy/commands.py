"""Energy site settings commands: check the body as Tesla does, then change the site.

Each command reads a JSON object and names the field at fault in a 400 `invalid_field` (with Tesla's `messages`
object, `{"field": ["problem"]}`). All of them are Powerwall settings; a site without a battery refuses them
with 400 `invalid_request`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fleetgate.simulator.energy.site import EXPORT_RULES, OPERATION_MODES, EnergySite
from fleetgate.simulator.envelope import TeslaHTTPError

# What Owner-API-era clients check for (`code == 201`); the Fleet API's own body is not documented.
UPDATED = {"code": 201, "message": "Updated"}


def invalid_field(name: str, problem: str) -> TeslaHTTPError:
    return TeslaHTTPError(400, "invalid_field", f"{name} {problem}", messages={name: [problem]})


def _percent(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if value is None:
        raise invalid_field(name, "is required")
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        raise invalid_field(name, "must be an integer between 0 and 100")
    if not 0 <= value <= 100:
        raise invalid_field(name, "must be between 0 and 100")
    return int(value)


def _boolean(body: dict[str, Any], name: str, *, required: bool = True) -> bool | None:
    value = body.get(name)
    if value is None:
        if required:
            raise invalid_field(name, "is required")
        return None
    if not isinstance(value, bool):
        raise invalid_field(name, "must be true or false")
    return value


def set_backup_reserve(site: EnergySite, body: dict[str, Any]) -> None:
    site.backup_reserve_percent = _percent(body, "backup_reserve_percent")


def set_operation_mode(site: EnergySite, body: dict[str, Any]) -> None:
    mode = body.get("default_real_mode")
    if mode is None:
        raise invalid_field("default_real_mode", "is required")
    for known in OPERATION_MODES:
        if mode == known:
            site.operation_mode = known
            return
    raise invalid_field("default_real_mode", f"must be one of {', '.join(OPERATION_MODES)}")


def set_storm_mode(site: EnergySite, body: dict[str, Any]) -> None:
    enabled = _boolean(body, "enabled")
    site.storm_mode_enabled = bool(enabled)


def set_grid_import_export(site: EnergySite, body: dict[str, Any]) -> None:
    disallow = _boolean(body, "disallow_charge_from_grid_with_solar_installed", required=False)
    rule = body.get("customer_preferred_export_rule")
    if disallow is None and rule is None:
        problem = "is required unless disallow_charge_from_grid_with_solar_installed is given"
        raise TeslaHTTPError(
            400,
            "invalid_field",
            "customer_preferred_export_rule or disallow_charge_from_grid_with_solar_installed is required",
            messages={
                "customer_preferred_export_rule": [problem],
                "disallow_charge_from_grid_with_solar_installed": [
                    "is required unless customer_preferred_export_rule is given"
                ],
            },
        )
    chosen = None
    if rule is not None:
        chosen = next((known for known in EXPORT_RULES if known == rule), None)
        if chosen is None:
            raise invalid_field("customer_preferred_export_rule", f"must be one of {', '.join(EXPORT_RULES)}")
    if disallow is not None:
        site.disallow_charge_from_grid_with_solar_installed = disallow
    if chosen is not None:
        site.customer_preferred_export_rule = chosen


def set_off_grid_vehicle_charging_reserve(site: EnergySite, body: dict[str, Any]) -> None:
    site.off_grid_vehicle_charging_reserve_percent = _percent(body, "off_grid_vehicle_charging_reserve_percent")


# Path segment under /energy_sites/{id}/ -> what it does.
COMMANDS: dict[str, Callable[[EnergySite, dict[str, Any]], None]] = {
    "backup": set_backup_reserve,
    "operation": set_operation_mode,
    "storm_mode": set_storm_mode,
    "grid_import_export": set_grid_import_export,
    "off_grid_vehicle_charging_reserve": set_off_grid_vehicle_charging_reserve,
}


def execute(site: EnergySite, name: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise TeslaHTTPError(400, "invalid_request", "the request body must be a JSON object")
    if not site.has_powerwall:
        raise TeslaHTTPError(400, "invalid_request", f"energy site {site.energy_site_id} has no Powerwall")
    COMMANDS[name](site, body)
    return dict(UPDATED)
