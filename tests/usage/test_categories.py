"""Fleet API paths → Tesla's billing category, the device they count against, and the endpoint without ids."""

from __future__ import annotations

import pytest

from fleetgate.features.usage.categories import CallKind, classify, is_billable
from fleetgate.tesla.api import ENERGY_COMMANDS

VIN = "5YJ3E1EA7KF000001"
SITE = "1234567890"


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        (
            "GET",
            f"/api/1/vehicles/{VIN}/vehicle_data",
            CallKind("data", VIN, "/api/1/vehicles/{vehicle_tag}/vehicle_data"),
        ),
        ("POST", f"/api/1/vehicles/{VIN}/wake_up", CallKind("wakes", VIN, "/api/1/vehicles/{vehicle_tag}/wake_up")),
        (
            "POST",
            f"/api/1/vehicles/{VIN}/command/set_charge_limit",
            CallKind("commands", VIN, "/api/1/vehicles/{vehicle_tag}/command/set_charge_limit"),
        ),
        (
            "POST",
            f"/api/1/vehicles/{VIN}/signed_command",
            CallKind("commands", VIN, "/api/1/vehicles/{vehicle_tag}/signed_command"),
        ),
        (
            "GET",
            f"/api/1/energy_sites/{SITE}/site_info",
            CallKind("data", SITE, "/api/1/energy_sites/{energy_site_id}/site_info"),
        ),
        (
            "GET",
            f"/api/1/energy_sites/{SITE}/live_status",
            CallKind("data", SITE, "/api/1/energy_sites/{energy_site_id}/live_status"),
        ),
        (
            "GET",
            f"/api/1/energy_sites/{SITE}/calendar_history",
            CallKind("data", SITE, "/api/1/energy_sites/{energy_site_id}/calendar_history"),
        ),
        ("GET", "/api/1/dx/charging/history", CallKind("data", None, "/api/1/dx/charging/history")),
    ],
)
def test_billed_calls(method: str, path: str, expected: CallKind) -> None:
    assert classify(method, path) == expected


@pytest.mark.parametrize("setting", ENERGY_COMMANDS)
def test_energy_settings_are_commands_of_the_site(setting: str) -> None:
    assert classify("POST", f"/api/1/energy_sites/{SITE}/{setting}") == CallKind(
        "commands", SITE, f"/api/1/energy_sites/{{energy_site_id}}/{setting}"
    )


@pytest.mark.parametrize(
    ("method", "path", "device_key", "endpoint"),
    [
        ("GET", "/api/1/vehicles", None, "/api/1/vehicles"),
        # The cheap state check: not billed, but it does name the car.
        ("GET", f"/api/1/vehicles/{VIN}", VIN, "/api/1/vehicles/{vehicle_tag}"),
        ("POST", "/api/1/vehicles/fleet_status", None, "/api/1/vehicles/fleet_status"),
        ("GET", "/api/1/products", None, "/api/1/products"),
        ("GET", "/api/1/users/me", None, "/api/1/users/me"),
        ("GET", "/api/1/users/region", None, "/api/1/users/region"),
        ("POST", "/api/1/partner_accounts", None, "/api/1/partner_accounts"),
        ("GET", "/api/1/partner_accounts/public_key", None, "/api/1/partner_accounts/public_key"),
        (
            "GET",
            f"/api/1/vehicles/{VIN}/nearby_charging_sites",
            VIN,
            "/api/1/vehicles/{vehicle_tag}/nearby_charging_sites",
        ),
    ],
)
def test_calls_tesla_does_not_bill(method: str, path: str, device_key: str | None, endpoint: str) -> None:
    assert classify(method, path) == CallKind(None, device_key, endpoint)


def test_ids_do_not_leak_into_endpoints() -> None:
    assert classify("POST", f"/api/1/vehicles/{VIN}/command/Not%20A%20Name").endpoint == (
        "/api/1/vehicles/{vehicle_tag}/command/{command}"
    )
    assert classify("GET", "/api/1/dx/charging/invoice/8f2c9a1b-77").endpoint == "/api/1/dx/charging/invoice/{id}"
    # A vehicle tag is the VIN or Tesla's numeric id; either way it is the device key.
    assert classify("GET", "/api/1/vehicles/1492931337/vehicle_data").device_key == "1492931337"
    assert classify("get", f"/api/1/vehicles/{VIN}/vehicle_data").category == "data"


def test_every_answer_under_500_is_billable() -> None:
    assert [is_billable(status) for status in (200, 400, 403, 404, 408, 429, 499)] == [True] * 7
    assert [is_billable(status) for status in (500, 503, 540, None)] == [False] * 4


@pytest.mark.parametrize(
    ("method", "path", "device_key", "endpoint"),
    [
        ("POST", "/api/1/vehicles/fleet_telemetry_config_jws", None, "/api/1/vehicles/fleet_telemetry_config_jws"),
        (
            "GET",
            f"/api/1/vehicles/{VIN}/fleet_telemetry_config",
            VIN,
            "/api/1/vehicles/{vehicle_tag}/fleet_telemetry_config",
        ),
        (
            "DELETE",
            f"/api/1/vehicles/{VIN}/fleet_telemetry_config",
            VIN,
            "/api/1/vehicles/{vehicle_tag}/fleet_telemetry_config",
        ),
        (
            "GET",
            f"/api/1/vehicles/{VIN}/fleet_telemetry_errors",
            VIN,
            "/api/1/vehicles/{vehicle_tag}/fleet_telemetry_errors",
        ),
    ],
)
def test_telemetry_config_calls_are_data_as_the_simulator_bills_them(
    method: str, path: str, device_key: str | None, endpoint: str
) -> None:
    assert classify(method, path) == CallKind("data", device_key, endpoint)
