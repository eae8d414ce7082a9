"""The energy site endpoints: shapes, commands, validation, access, billing, rate limits and histories."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.simulator.factories import SimFactory
from tests.simulator.test_energy_physics import (
    SITE_ZONE,
    advance,
    at_hour,
    energy_setup,
    live,
    patch_site,
)

PAYLOADS = Path("/work/shared/reference/payloads")


def payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return data


async def site_info(sim: httpx.AsyncClient, setup: dict[str, Any]) -> dict[str, Any]:
    response = await sim.get(f"{setup['path']}/site_info", headers=setup["headers"])
    assert response.status_code == 200, response.text
    info: dict[str, Any] = response.json()["response"]
    return info


async def history(sim: httpx.AsyncClient, setup: dict[str, Any], **params: str) -> httpx.Response:
    return await sim.get(f"{setup['path']}/calendar_history", params=params, headers=setup["headers"])


class TestShapes:
    async def test_site_info_has_teslas_fields(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory, site_name="Cabin", battery_count=2)
        info = await site_info(sim, setup)
        example = payload("site_info")["response"]
        assert set(example) <= set(info)
        assert set(example["components"]) <= set(info["components"])
        assert set(example["user_settings"]) <= set(info["user_settings"])
        assert info["site_name"] == "Cabin"
        assert info["battery_count"] == 2
        assert len(info["components"]["batteries"]) == 2
        assert info["nameplate_energy"] == 27_000
        assert info["nameplate_power"] == 10_000
        assert info["installation_time_zone"] == "America/Los_Angeles"
        assert info["default_real_mode"] == "self_consumption"

    async def test_live_status_has_teslas_fields_and_types(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        status = await live(sim, setup)
        example = payload("live_status")["response"]
        assert set(example) <= set(status)
        for name in ("solar_power", "battery_power", "load_power", "grid_power"):
            assert isinstance(status[name], int)
        assert status["total_pack_energy"] == 13_500
        assert status["energy_left"] == pytest.approx(status["percentage_charged"] / 100 * 13_500)
        assert datetime.fromisoformat(status["timestamp"]).utcoffset() is not None

    async def test_the_same_site_keeps_its_hardware_ids(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        first, second = await site_info(sim, setup), await site_info(sim, setup)
        assert first["components"]["gateways"] == second["components"]["gateways"]
        assert first["components"]["batteries"] == second["components"]["batteries"]


class TestCommands:
    async def test_answer_is_the_updated_envelope(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        response = await sim.post(
            f"{setup['path']}/backup", json={"backup_reserve_percent": 35}, headers=setup["headers"]
        )
        assert response.status_code == 200
        assert response.json() == {"response": {"code": 201, "message": "Updated"}}

    @pytest.mark.parametrize(
        ("name", "body", "read"),
        [
            ("backup", {"backup_reserve_percent": 35}, lambda info: info["backup_reserve_percent"] == 35),
            ("operation", {"default_real_mode": "autonomous"}, lambda info: info["default_real_mode"] == "autonomous"),
            ("storm_mode", {"enabled": True}, lambda info: info["user_settings"]["storm_mode_enabled"] is True),
            (
                "grid_import_export",
                {"disallow_charge_from_grid_with_solar_installed": True, "customer_preferred_export_rule": "never"},
                lambda info: (
                    info["components"]["disallow_charge_from_grid_with_solar_installed"] is True
                    and info["components"]["customer_preferred_export_rule"] == "never"
                ),
            ),
            (
                "off_grid_vehicle_charging_reserve",
                {"off_grid_vehicle_charging_reserve_percent": 60},
                lambda info: info["off_grid_vehicle_charging_reserve_percent"] == 60,
            ),
        ],
    )
    async def test_each_command_changes_site_info(
        self, factory: SimFactory, sim: httpx.AsyncClient, name: str, body: dict[str, Any], read: Any
    ) -> None:
        setup = await energy_setup(factory)
        assert not read(await site_info(sim, setup))
        response = await sim.post(f"{setup['path']}/{name}", json=body, headers=setup["headers"])
        assert response.status_code == 200, response.text
        assert read(await site_info(sim, setup))

    async def test_grid_import_export_changes_only_what_it_is_given(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        body = {"customer_preferred_export_rule": "battery_ok"}
        await sim.post(f"{setup['path']}/grid_import_export", json=body, headers=setup["headers"])
        components = (await site_info(sim, setup))["components"]
        assert components["customer_preferred_export_rule"] == "battery_ok"
        assert components["disallow_charge_from_grid_with_solar_installed"] is False

    async def test_raising_the_reserve_stops_a_discharging_battery(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        before = await at_hour(sim, setup, 22, percentage_charged=30)
        assert before["battery_power"] > 0
        await sim.post(f"{setup['path']}/backup", json={"backup_reserve_percent": 40}, headers=setup["headers"])
        after = await live(sim, setup)
        assert after["battery_power"] == 0
        assert after["grid_power"] == after["load_power"]


class TestValidation:
    @pytest.mark.parametrize(
        ("name", "body", "field"),
        [
            ("backup", {}, "backup_reserve_percent"),
            ("backup", {"backup_reserve_percent": 101}, "backup_reserve_percent"),
            ("backup", {"backup_reserve_percent": -1}, "backup_reserve_percent"),
            ("backup", {"backup_reserve_percent": "20"}, "backup_reserve_percent"),
            ("backup", {"backup_reserve_percent": 20.5}, "backup_reserve_percent"),
            ("backup", {"backup_reserve_percent": True}, "backup_reserve_percent"),
            ("operation", {"default_real_mode": "eco"}, "default_real_mode"),
            ("operation", {}, "default_real_mode"),
            ("storm_mode", {"enabled": "yes"}, "enabled"),
            ("storm_mode", {}, "enabled"),
            ("grid_import_export", {"customer_preferred_export_rule": "sometimes"}, "customer_preferred_export_rule"),
            (
                "grid_import_export",
                {"disallow_charge_from_grid_with_solar_installed": 1},
                "disallow_charge_from_grid_with_solar_installed",
            ),
            ("grid_import_export", {}, "customer_preferred_export_rule"),
            (
                "off_grid_vehicle_charging_reserve",
                {"off_grid_vehicle_charging_reserve_percent": 150},
                "off_grid_vehicle_charging_reserve_percent",
            ),
        ],
    )
    async def test_bad_bodies_are_400_invalid_field_naming_the_field(
        self, factory: SimFactory, sim: httpx.AsyncClient, name: str, body: dict[str, Any], field: str
    ) -> None:
        setup = await energy_setup(factory)
        response = await sim.post(f"{setup['path']}/{name}", json=body, headers=setup["headers"])
        assert response.status_code == 400
        error = response.json()
        assert error["response"] is None
        assert error["error"] == "invalid_field"
        assert field in error["error_description"]
        assert error["messages"][field]

    async def test_a_bad_body_changes_nothing(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        body = {"customer_preferred_export_rule": "sometimes", "disallow_charge_from_grid_with_solar_installed": True}
        await sim.post(f"{setup['path']}/grid_import_export", json=body, headers=setup["headers"])
        components = (await site_info(sim, setup))["components"]
        assert components["disallow_charge_from_grid_with_solar_installed"] is False

    async def test_a_body_that_is_not_json_is_400(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        response = await sim.post(f"{setup['path']}/backup", content=b"reserve=20", headers=setup["headers"])
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"

    async def test_a_site_without_a_battery_refuses_battery_settings(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory, battery=False)
        response = await sim.post(
            f"{setup['path']}/backup", json={"backup_reserve_percent": 20}, headers=setup["headers"]
        )
        assert response.status_code == 400
        assert "no Powerwall" in response.json()["error_description"]


class TestAccess:
    async def test_reads_need_energy_device_data(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory, scopes="openid energy_cmds vehicle_device_data")
        for endpoint in ("site_info", "live_status", "calendar_history?kind=energy"):
            response = await sim.get(f"{setup['path']}/{endpoint}", headers=setup["headers"])
            assert response.status_code == 403
            assert response.json()["error"] == "Unauthorized missing scopes"

    async def test_commands_need_energy_cmds(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory, scopes="openid energy_device_data")
        response = await sim.post(f"{setup['path']}/storm_mode", json={"enabled": True}, headers=setup["headers"])
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"
        assert (await site_info(sim, setup))["user_settings"]["storm_mode_enabled"] is False

    async def test_another_accounts_site_is_not_found(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        stranger = await factory.account(email="neighbour@example.com")
        theirs = await factory.energy_site(stranger["id"])
        path = f"{setup['base']}/energy_sites/{theirs['energy_site_id']}"
        for response in (
            await sim.get(f"{path}/live_status", headers=setup["headers"]),
            await sim.post(f"{path}/backup", json={"backup_reserve_percent": 50}, headers=setup["headers"]),
        ):
            assert response.status_code == 404
            assert response.json()["error"] == "not_found"

    @pytest.mark.parametrize("site_id", ["123", "not-a-number"])
    async def test_an_unknown_site_is_not_found(
        self, factory: SimFactory, sim: httpx.AsyncClient, site_id: str
    ) -> None:
        setup = await energy_setup(factory)
        response = await sim.get(f"{setup['base']}/energy_sites/{site_id}/site_info", headers=setup["headers"])
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


class TestBillingAndLimits:
    async def test_reads_bill_data_and_commands_bill_commands_on_the_site(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        await live(sim, setup)
        await site_info(sim, setup)
        await history(sim, setup, kind="energy")
        await sim.post(f"{setup['path']}/storm_mode", json={"enabled": True}, headers=setup["headers"])
        usage = (await sim.get("/sim/usage")).json()
        device = usage["clients"][setup["app"]["client_id"]]["devices"][str(setup["site_id"])]
        assert device["data"] == 3
        assert device["commands"] == 1
        assert device["wakes"] == 0

    async def test_the_site_has_its_own_data_budget(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        for _ in range(60):
            assert (await sim.get(f"{setup['path']}/live_status", headers=setup["headers"])).status_code == 200
        refused = await sim.get(f"{setup['path']}/live_status", headers=setup["headers"])
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        allowed = await sim.post(f"{setup['path']}/storm_mode", json={"enabled": True}, headers=setup["headers"])
        assert allowed.status_code == 200
        await advance(sim, setup, 61)
        assert (await sim.get(f"{setup['path']}/live_status", headers=setup["headers"])).status_code == 200


def local_midnight(days_ago: int) -> datetime:
    today = datetime.now(SITE_ZONE).date()
    return datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), tzinfo=SITE_ZONE)


class TestEnergyHistory:
    async def test_a_day_has_teslas_fields_and_adds_up(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        start, end = local_midnight(3), local_midnight(2)
        response = await history(
            sim, setup, kind="energy", period="day", start_date=start.isoformat(), end_date=end.isoformat()
        )
        assert response.status_code == 200, response.text
        body = response.json()["response"]
        assert body["period"] == "day"
        assert body["installation_time_zone"] == "America/Los_Angeles"
        [entry] = body["time_series"]
        assert set(entry) == set(payload("energy_history")["response"]["time_series"][0])
        assert datetime.fromisoformat(entry["timestamp"]) == start
        # A clear day: the sine arch of a 7 kW peak over 12 hours is about 53.5 kWh.
        assert entry["total_solar_generation"] == pytest.approx(7000 * 12 * 2 / 3.14159, rel=0.02)
        parts = ("consumer_energy_imported_from_grid", "consumer_energy_imported_from_solar")
        home = sum(entry[name] for name in parts) + entry["consumer_energy_imported_from_battery"]
        assert abs(entry["total_home_usage"] - home) <= 3
        assert entry["total_home_usage"] == pytest.approx(1200 * 24, rel=0.1)
        solar = entry["consumer_energy_imported_from_solar"] + entry["battery_energy_imported_from_solar"]
        assert abs(entry["total_solar_generation"] - solar - entry["grid_energy_exported_from_solar"]) <= 3

    async def test_the_same_question_gets_the_same_answer(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        params = {"kind": "energy", "period": "week", "end_date": local_midnight(1).isoformat()}
        first, second = await history(sim, setup, **params), await history(sim, setup, **params)
        assert first.json() == second.json()

    @pytest.mark.parametrize(("period", "buckets"), [("week", 7), ("year", 12)])
    async def test_intervals_fit_the_period(
        self, factory: SimFactory, sim: httpx.AsyncClient, period: str, buckets: int
    ) -> None:
        setup = await energy_setup(factory)
        # The week ending yesterday evening; last year up to its last evening.
        last_year = local_midnight(0).year - 1
        end = {
            "week": local_midnight(1) - timedelta(seconds=1),
            "year": datetime(last_year, 12, 31, 23, tzinfo=SITE_ZONE),
        }[period]
        response = await history(sim, setup, kind="energy", period=period, end_date=end.isoformat())
        assert len(response.json()["response"]["time_series"]) == buckets

    async def test_nothing_is_reported_for_the_future(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        response = await history(sim, setup, kind="energy", period="month")
        stamps = [datetime.fromisoformat(e["timestamp"]) for e in response.json()["response"]["time_series"]]
        assert stamps
        assert max(stamps) <= datetime.now(SITE_ZONE)

    async def test_a_site_without_solar_generates_nothing(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory, solar=False)
        end = local_midnight(3) + timedelta(hours=23)
        params = {"kind": "energy", "period": "day", "end_date": end.isoformat()}
        [entry] = (await history(sim, setup, **params)).json()["response"]["time_series"]
        assert entry["total_solar_generation"] == 0
        assert entry["consumer_energy_imported_from_grid"] > 0

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"kind": "power"}, "kind"),
            ({}, "kind"),
            ({"kind": "energy", "period": "decade"}, "period"),
            ({"kind": "energy", "end_date": "yesterday"}, "end_date"),
            ({"kind": "energy", "time_zone": "Mars/Olympus"}, "time_zone"),
        ],
    )
    async def test_bad_queries_are_400_invalid_field(
        self, factory: SimFactory, sim: httpx.AsyncClient, params: dict[str, str], field: str
    ) -> None:
        setup = await energy_setup(factory)
        response = await history(sim, setup, **params)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_field"
        assert field in response.json()["messages"]


class TestBackupHistory:
    async def test_outages_are_reported_with_their_duration_in_seconds(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        assert (await history(sim, setup, kind="backup")).json()["response"]["events"] == []
        await at_hour(sim, setup, 22, grid_status="Inactive")
        await advance(sim, setup, 5400)
        await live(sim, setup)
        await patch_site(sim, setup, grid_status="Active")
        await live(sim, setup)
        body = (await history(sim, setup, kind="backup")).json()["response"]
        [event] = body["events"]
        assert event["duration"] == pytest.approx(5400, abs=5)
        assert datetime.fromisoformat(event["timestamp"]).hour == 22
        assert body["total_events"] == 1

    async def test_an_ongoing_outage_is_reported_so_far(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        await at_hour(sim, setup, 22, grid_status="Inactive")
        await advance(sim, setup, 600)
        [event] = (await history(sim, setup, kind="backup", period="lifetime")).json()["response"]["events"]
        assert event["duration"] == pytest.approx(600, abs=5)

    async def test_the_window_filters_events(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await energy_setup(factory)
        await at_hour(sim, setup, 22, grid_status="Inactive")
        await advance(sim, setup, 600)
        await live(sim, setup)
        await patch_site(sim, setup, grid_status="Active")
        long_ago = {"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-01-02T00:00:00Z"}
        assert (await history(sim, setup, kind="backup", **long_ago)).json()["response"]["events"] == []

    async def test_an_outage_shows_in_the_energy_history_as_no_grid_use(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await energy_setup(factory)
        await at_hour(sim, setup, 0, grid_status="Inactive")
        await advance(sim, setup, 86_400)
        await live(sim, setup)
        await patch_site(sim, setup, grid_status="Active")
        await live(sim, setup)
        now = (await sim.get("/sim/clock")).json()["now"]
        day_start = datetime.fromtimestamp(now, SITE_ZONE) - timedelta(days=1)
        params = {"kind": "energy", "period": "day", "end_date": (day_start + timedelta(hours=12)).isoformat()}
        [entry] = (await history(sim, setup, **params)).json()["response"]["time_series"]
        assert entry["grid_energy_imported"] == 0
        assert entry["total_grid_energy_exported"] == 0
