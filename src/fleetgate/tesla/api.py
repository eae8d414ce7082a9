"""The Fleet API endpoints the product uses, as typed calls over a `FleetSession`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fleetgate.tesla import telemetry
from fleetgate.tesla.errors import CommandRefused, UpstreamError
from fleetgate.tesla.fleet import FleetSession, response_or_raise
from fleetgate.tesla.http import refusal_reason

VEHICLE_DATA_ENDPOINTS = (
    "charge_state",
    "climate_state",
    "closures_state",
    "drive_state",
    "gui_settings",
    "location_data",
    "charge_schedule_data",
    "preconditioning_schedule_data",
    "vehicle_config",
    "vehicle_state",
    "vehicle_data_combo",
)
# Path segments under /energy_sites/{id}/ of the settings the product changes.
ENERGY_COMMANDS = (
    "backup",
    "operation",
    "storm_mode",
    "grid_import_export",
    "off_grid_vehicle_charging_reserve",
    "time_of_use_settings",
)
VEHICLES_PER_PAGE = 100


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UpstreamError.answer_lost(f"Tesla's {what} answer is not an object", body=value)
    return value


def _list(value: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise UpstreamError.answer_lost(f"Tesla's {what} answer is not a list", body=value)
    return [item for item in value if isinstance(item, dict)]


def command_result(response: Any) -> dict[str, Any]:
    """A command answer; `result: false` becomes `CommandRefused` with the car's reason."""
    result = _dict(response, "command")
    reason = refusal_reason(result)
    if reason is not None:
        raise CommandRefused(reason, body=result)
    return result


class FleetApi:
    def __init__(self, session: FleetSession) -> None:
        self.session = session

    async def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        return response_or_raise(await self.session.request("GET", path, params=params))

    async def _post(self, path: str, body: Any = None) -> Any:
        result = await self.session.request("POST", path, json=body if body is not None else {})
        return response_or_raise(result)

    # -- users ---------------------------------------------------------------------------------------------

    async def me(self) -> dict[str, Any]:
        return _dict(await self._get("/api/1/users/me"), "users/me")

    async def user_region(self) -> dict[str, Any]:
        return _dict(await self._get("/api/1/users/region"), "users/region")

    async def products(self) -> list[dict[str, Any]]:
        return _list(await self._get("/api/1/products"), "products")

    # -- vehicles ------------------------------------------------------------------------------------------

    async def vehicles(self) -> list[dict[str, Any]]:
        """Every page of the user's vehicles (a fleet account can have more than one page)."""
        vehicles: list[dict[str, Any]] = []
        page = 1
        while True:
            params = {"page": str(page), "per_page": str(VEHICLES_PER_PAGE)}
            result = await self.session.request("GET", "/api/1/vehicles", params=params)
            vehicles.extend(_list(response_or_raise(result), "vehicles"))
            pagination = result.body.get("pagination") if isinstance(result.body, dict) else None
            following = pagination.get("next") if isinstance(pagination, dict) else None
            if not isinstance(following, int) or following <= page:
                return vehicles
            page = following

    async def vehicle(self, vin: str) -> dict[str, Any]:
        return _dict(await self._get(f"/api/1/vehicles/{quote(vin)}"), "vehicle")

    async def vehicle_data(self, vin: str, endpoints: Sequence[str] = ()) -> dict[str, Any]:
        unknown = set(endpoints) - set(VEHICLE_DATA_ENDPOINTS)
        if unknown:
            raise ValueError(f"unknown vehicle_data endpoints: {sorted(unknown)}")
        params = {"endpoints": ";".join(endpoints)} if endpoints else None
        return _dict(await self._get(f"/api/1/vehicles/{quote(vin)}/vehicle_data", params), "vehicle_data")

    async def wake_up(self, vin: str) -> dict[str, Any]:
        # Waking a car that is waking or awake changes nothing: safe to send again.
        return _dict(await self._post(f"/api/1/vehicles/{quote(vin)}/wake_up"), "wake_up")

    async def command(self, vin: str, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return command_result(await self._post(f"/api/1/vehicles/{quote(vin)}/command/{quote(name)}", params or {}))

    async def signed_command(self, vin: str, routable_message_b64: str) -> str:
        result = await self.session.request(
            "POST",
            f"/api/1/vehicles/{quote(vin)}/signed_command",
            json={"routable_message": routable_message_b64},
            signed_command=True,
        )
        response = response_or_raise(result)
        if not isinstance(response, str):
            raise UpstreamError.answer_lost("signed_command answered without a message", body=result.body)
        return response

    async def fleet_status(self, vins: Sequence[str]) -> dict[str, Any]:
        answer = await self._post("/api/1/vehicles/fleet_status", {"vins": list(vins)})
        return _dict(answer, "fleet_status")

    # -- fleet telemetry (the partner's config, signed: see protocol.telemetry.jws) -------------------------

    async def configure_telemetry(self, vins: Sequence[str], token: str) -> telemetry.TelemetryConfigured:
        # Posting the same config again leaves the cars as they were: safe to send again.
        try:
            answer = await self._post(telemetry.CONFIGURE_PATH, {"vins": list(vins), "token": token})
        except UpstreamError as exc:
            raise telemetry.refused_config(exc) from exc
        return telemetry.configured(answer)

    async def telemetry_config(self, vin: str) -> telemetry.TelemetryConfigState:
        return telemetry.config_state(await self._get(telemetry.config_path(quote(vin))))

    async def delete_telemetry_config(self, vin: str) -> int:
        """How many cars Tesla removed the config from: 0 when the car held none of this app."""
        result = await self.session.request("DELETE", telemetry.config_path(quote(vin)))
        return telemetry.updated(response_or_raise(result))

    async def telemetry_errors(self, vin: str) -> list[telemetry.TelemetryErrorItem]:
        return telemetry.error_items(await self._get(telemetry.errors_path(quote(vin))))

    # -- energy --------------------------------------------------------------------------------------------

    async def site_info(self, site_id: int) -> dict[str, Any]:
        return _dict(await self._get(f"/api/1/energy_sites/{site_id}/site_info"), "site_info")

    async def live_status(self, site_id: int) -> dict[str, Any]:
        return _dict(await self._get(f"/api/1/energy_sites/{site_id}/live_status"), "live_status")

    async def calendar_history(self, site_id: int, *, kind: str, period: str = "day", **params: str) -> dict[str, Any]:
        query = {"kind": kind, "period": period, **params}
        return _dict(await self._get(f"/api/1/energy_sites/{site_id}/calendar_history", query), "calendar_history")

    async def energy_command(self, site_id: int, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        """`endpoint` is one of `ENERGY_COMMANDS`; a setting sent twice ends the same, so it may be resent."""
        if endpoint not in ENERGY_COMMANDS:
            raise ValueError(f"unknown energy command {endpoint!r}; one of {', '.join(ENERGY_COMMANDS)}")
        return _dict(await self._post(f"/api/1/energy_sites/{site_id}/{endpoint}", body), endpoint)

    # -- charging (account level: one car with `vin`) ----------------------------------------------------------

    async def charging_history(self, params: dict[str, str]) -> dict[str, Any]:
        """One page of `dx/charging/history`: `vin`, `startTime`, `endTime`, `pageNo`, `pageSize`, `sortBy`,
        `sortOrder`."""
        return _dict(await self._get("/api/1/dx/charging/history", params), "charging/history")

    # -- partner (partner token) ---------------------------------------------------------------------------

    async def register_partner(self, domain: str) -> dict[str, Any]:
        # Registering the same domain again replaces it with the same values.
        answer = await self._post("/api/1/partner_accounts", {"domain": domain})
        return _dict(answer, "partner_accounts")

    async def partner_public_key(self, domain: str) -> dict[str, Any]:
        return _dict(await self._get("/api/1/partner_accounts/public_key", {"domain": domain}), "public_key")

    async def partner_telemetry_errors(self) -> list[telemetry.TelemetryErrorItem]:
        return telemetry.error_items(await self._get("/api/1/partner_accounts/fleet_telemetry_errors"))

    async def partner_telemetry_error_vins(self) -> list[str]:
        return telemetry.error_vins(await self._get("/api/1/partner_accounts/fleet_telemetry_error_vins"))
