"""Energy site settings commands: check the body as Tesla does, then change the site.

Each command reads a JSON object and names the field at fault in a 400 `invalid_field` (with Tesla's `messages`
object, `{"field": ["problem"]}`; nested fields by their dotted path). All of them are Powerwall settings; a site
without a battery refuses them with 400 `invalid_request`.
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


TARIFF = "tou_settings.tariff_content_v2"
MONTH, DAY, WEEKDAY, HOUR, MINUTE = (1, 12), (1, 31), (0, 6), (0, 24), (0, 59)


def _object(value: Any, name: str) -> dict[str, Any]:
    if value is None:
        raise invalid_field(name, "is required")
    if not isinstance(value, dict) or not value:
        raise invalid_field(name, "must be a non-empty object")
    return value


def _whole(value: Any, name: str, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid_field(name, f"must be a whole number from {low} to {high}")


def _season(season: Any, name: str) -> None:
    fields = _object(season, name)
    for key, bounds in (("fromMonth", MONTH), ("toMonth", MONTH), ("fromDay", DAY), ("toDay", DAY)):
        _whole(fields.get(key), f"{name}.{key}", bounds)
    for period_name, period in _object(fields.get("tou_periods"), f"{name}.tou_periods").items():
        where = f"{name}.tou_periods.{period_name}"
        spans = _object(period, where).get("periods")
        if not isinstance(spans, list) or not spans:
            raise invalid_field(f"{where}.periods", "must be a non-empty list")
        for index, span in enumerate(spans):
            span_name = f"{where}.periods.{index}"
            span_fields = _object(span, span_name)
            for key, bounds in (("fromDayOfWeek", WEEKDAY), ("toDayOfWeek", WEEKDAY)):
                _whole(span_fields.get(key, 0 if key == "fromDayOfWeek" else 6), f"{span_name}.{key}", bounds)
            for key, bounds in (("fromHour", HOUR), ("toHour", HOUR), ("fromMinute", MINUTE), ("toMinute", MINUTE)):
                _whole(span_fields.get(key, 0), f"{span_name}.{key}", bounds)


def _charges(charges: Any, name: str, seasons: dict[str, Any]) -> None:
    for season_name, season in _object(charges, name).items():
        where = f"{name}.{season_name}"
        if season_name != "ALL" and season_name not in seasons:
            raise invalid_field(where, "names no season of the tariff")
        for period, rate in _object(_object(season, where).get("rates"), f"{where}.rates").items():
            if isinstance(rate, bool) or not isinstance(rate, int | float) or rate < 0:
                raise invalid_field(f"{where}.rates.{period}", "must be a price of zero or more")


def set_time_of_use(site: EnergySite, body: dict[str, Any]) -> None:
    """The utility tariff time-based control follows: seasons of the year, each cut into named periods of the
    week, and the price of energy in each (`energy_charges`, `sell_tariff` for what export earns)."""
    tariff = _object(_object(body.get("tou_settings"), "tou_settings").get("tariff_content_v2"), TARIFF)
    seasons = _object(tariff.get("seasons"), f"{TARIFF}.seasons")
    for season_name, season in seasons.items():
        _season(season, f"{TARIFF}.seasons.{season_name}")
    _charges(tariff.get("energy_charges"), f"{TARIFF}.energy_charges", seasons)
    sell = tariff.get("sell_tariff")
    if sell is not None:
        where = f"{TARIFF}.sell_tariff"
        sell_seasons = _object(sell, where).get("seasons") or seasons
        _charges(sell.get("energy_charges"), f"{where}.energy_charges", sell_seasons)
    site.tariff = tariff


# Path segment under /energy_sites/{id}/ -> what it does.
COMMANDS: dict[str, Callable[[EnergySite, dict[str, Any]], None]] = {
    "backup": set_backup_reserve,
    "operation": set_operation_mode,
    "storm_mode": set_storm_mode,
    "grid_import_export": set_grid_import_export,
    "off_grid_vehicle_charging_reserve": set_off_grid_vehicle_charging_reserve,
    "time_of_use_settings": set_time_of_use,
}


def execute(site: EnergySite, name: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise TeslaHTTPError(400, "invalid_request", "the request body must be a JSON object")
    if not site.has_powerwall:
        raise TeslaHTTPError(400, "invalid_request", f"energy site {site.energy_site_id} has no Powerwall")
    COMMANDS[name](site, body)
    return dict(UPDATED)
