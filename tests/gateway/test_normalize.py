"""Normalisation of Tesla's payloads: the reference payloads (real answers' shapes), the simulator's real answers,
and anything malformed, which gives nulls and never an error."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import httpx
import pytest

from fleetgate.features.devices.normalize import normalize_energy_site, normalize_vehicle, strip_location
from fleetgate.features.devices.state_schemas import EnergySiteData, VehicleData
from tests.simulator.factories import ALL_USER_SCOPES, SimFactory

# Copies of real answers' shapes; their source is in payloads/README.md.
PAYLOADS = Path(__file__).with_name("payloads")
GARBAGE: tuple[Any, ...] = (None, "", "seventy", [], {}, True, math.nan, math.inf, -math.inf, [1, 2], {"a": 1})


def payload(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PAYLOADS / name).read_text())["response"]
    return loaded


def vehicle_fields(**sections: dict[str, Any]) -> dict[str, Any]:
    return {"state": "online", **sections}


class TestReferenceVehicle:
    def test_every_field(self) -> None:
        data = normalize_vehicle(payload("vehicle_data.json"), with_location=True)
        assert data == {
            "online_state": "online",
            "battery_level_pct": 77.0,
            "battery_range_km": round(266.87 * 1.609344, 2),
            "battery_range_mi": 266.87,
            "charging_state": "stopped",
            "charge_limit_pct": 80,
            "charge_power_kw": 0.0,
            "charge_current_a": 0.0,
            "charge_voltage_v": 2.0,
            "plugged_in": True,
            "minutes_to_full_charge": 0,
            "charge_port_open": True,
            "scheduled_charging": {"enabled": False, "start_minute": None},
            # The reference answer was asked without the schedules' sections.
            "charge_schedules": None,
            "precondition_schedules": None,
            "locked": False,
            "sentry_mode": False,
            "climate_on": True,
            "inside_temp_c": 29.8,
            "outside_temp_c": 30.0,
            "driver_temp_setting_c": 22.0,
            "odometer_km": round(6481.019282 * 1.609344, 2),
            "odometer_mi": 6481.019282,
            "software_version": "2023.44.30.8",
            "location": {"latitude": -30.222626, "longitude": -97.6236871, "heading_deg": 185.0},
        }
        VehicleData.model_validate(data)

    def test_without_location_there_is_no_location_field(self) -> None:
        data = normalize_vehicle(payload("vehicle_data.json"), with_location=False)
        assert "location" not in data
        assert data["battery_level_pct"] == 77.0

    def test_strip_location_removes_everything_that_places_the_car(self) -> None:
        original = payload("vehicle_data.json")
        kept = copy.deepcopy(original)
        stripped = strip_location(original)
        assert original == kept  # a copy: the input is untouched
        text = json.dumps(stripped)
        for word in ("latitude", "longitude", "heading", "active_route", "gps_as_of", "native_type"):
            assert word not in text
        assert stripped["charge_state"] == original["charge_state"]
        assert stripped["drive_state"]["power"] == original["drive_state"]["power"]


class TestReferenceEnergySite:
    def test_every_field(self) -> None:
        data = normalize_energy_site(payload("live_status.json"), payload("site_info.json"))
        assert data == {
            "battery_level_pct": 95.5,  # Tesla sends 95.50537403739663
            "battery_energy_wh": None,  # this live_status does not say
            "battery_capacity_wh": 40500.0,  # from site_info's nameplate, then
            "solar_power_w": 1185.0,
            "battery_power_w": 5060.0,
            "grid_power_w": 0.0,
            "load_power_w": 6245.0,
            "grid_status": "connected",
            "backup_reserve_pct": 0.0,
            "operation_mode": "self_consumption",
            "storm_mode_enabled": True,
            "storm_mode_active": False,
        }
        EnergySiteData.model_validate(data)

    def test_without_site_info_the_settings_are_null(self) -> None:
        data = normalize_energy_site(payload("live_status.json"), None)
        assert data["solar_power_w"] == 1185.0
        assert (data["backup_reserve_pct"], data["operation_mode"], data["storm_mode_enabled"]) == (None, None, None)

    def test_a_site_without_a_battery_has_no_battery_figures(self) -> None:
        info = payload("site_info.json")
        info["components"]["battery"] = False
        live = {**payload("live_status.json"), "percentage_charged": 0, "total_pack_energy": 0, "energy_left": 0}
        data = normalize_energy_site(live, info)
        assert (data["battery_level_pct"], data["battery_energy_wh"], data["battery_capacity_wh"]) == (None, None, None)


class TestMappings:
    @pytest.mark.parametrize(
        ("tesla", "ours"),
        [
            ("Disconnected", "disconnected"),
            ("Stopped", "stopped"),
            ("Charging", "charging"),
            ("Complete", "complete"),
            ("NoPower", "no_power"),
            ("Starting", "starting"),
            ("Calibrating", "unknown"),
            (None, None),
            (3, None),
        ],
    )
    def test_charging_state(self, tesla: Any, ours: str | None) -> None:
        data = normalize_vehicle(vehicle_fields(charge_state={"charging_state": tesla}), with_location=False)
        assert data["charging_state"] == ours

    @pytest.mark.parametrize(
        ("live", "ours"),
        [
            ({"island_status": "on_grid", "grid_status": "Active"}, "connected"),
            ({"island_status": "off_grid_unintentional", "grid_status": "Inactive"}, "islanded"),
            ({"island_status": "off_grid_intentional"}, "islanded"),
            ({"grid_status": "Inactive"}, "islanded"),
            ({"grid_status": "Active"}, "connected"),
            ({"grid_status": "Transition"}, "unknown"),
            ({"island_status": "island_status_unknown"}, "unknown"),
            ({}, None),
        ],
    )
    def test_grid_status(self, live: dict[str, Any], ours: str | None) -> None:
        assert normalize_energy_site(live, {})["grid_status"] == ours

    def test_plugged_in_from_the_cable_when_the_charging_state_is_not_known(self) -> None:
        plugged = normalize_vehicle(vehicle_fields(charge_state={"conn_charge_cable": "SAE"}), with_location=False)
        assert plugged["plugged_in"] is True
        loose = normalize_vehicle(vehicle_fields(charge_state={"conn_charge_cable": "<invalid>"}), with_location=False)
        assert loose["plugged_in"] is False

    def test_scheduled_charging(self) -> None:
        charge = {"scheduled_charging_mode": "StartAt", "scheduled_charging_start_time_app": 135}
        data = normalize_vehicle(vehicle_fields(charge_state=charge), with_location=False)
        assert data["scheduled_charging"] == {"enabled": True, "start_minute": 135}
        charge["scheduled_charging_start_time_app"] = 5000  # not a minute of a day
        data = normalize_vehicle(vehicle_fields(charge_state=charge), with_location=False)
        assert data["scheduled_charging"] == {"enabled": True, "start_minute": None}

    def test_minutes_to_full_from_hours_when_minutes_are_missing(self) -> None:
        data = normalize_vehicle(vehicle_fields(charge_state={"time_to_full_charge": 1.25}), with_location=False)
        assert data["minutes_to_full_charge"] == 75


class TestMalformed:
    @pytest.mark.parametrize("answer", [None, [], "text", 7, {}, {"charge_state": "x", "vehicle_state": []}])
    def test_nothing_usable_gives_nulls(self, answer: Any) -> None:
        vehicle = normalize_vehicle(answer, with_location=True)
        assert set(vehicle) == set(VehicleData.model_fields)
        assert all(value is None for value in vehicle.values())
        site = normalize_energy_site(answer, answer)
        assert all(value is None for value in site.values())

    def test_any_field_of_any_type_never_fails(self) -> None:
        reference = payload("vehicle_data.json")
        for section, fields in reference.items():
            if not isinstance(fields, dict):
                continue
            for name in fields:
                for bad in GARBAGE:
                    broken = copy.deepcopy(reference)
                    broken[section][name] = bad
                    data = normalize_vehicle(broken, with_location=True)
                    VehicleData.model_validate(data)
                    assert json.dumps(data, allow_nan=False)

    def test_any_energy_field_of_any_type_never_fails(self) -> None:
        live, info = payload("live_status.json"), payload("site_info.json")
        for target in (live, info):
            for name in list(target):
                for bad in GARBAGE:
                    saved = target[name]
                    target[name] = bad
                    data = normalize_energy_site(live, info)
                    EnergySiteData.model_validate(data)
                    assert json.dumps(data, allow_nan=False)
                    target[name] = saved

    def test_a_location_out_of_range_is_no_location(self) -> None:
        drive = {"latitude": 123.0, "longitude": 10.0, "heading": 5}
        assert normalize_vehicle(vehicle_fields(drive_state=drive), with_location=True)["location"] is None


class TestSimulatorAnswers:
    async def test_vehicle_data(self, sim: httpx.AsyncClient, factory: SimFactory) -> None:
        setup = await factory.setup(plugged_in=True, battery_level=41.0)
        vin = setup["vehicle"]["vin"]
        changed = await sim.patch(f"/sim/vehicles/{vin}", json={"charging_state": "Charging", "sentry_mode": True})
        assert changed.status_code == 200, changed.text
        endpoints = (
            "charge_state;climate_state;vehicle_state;drive_state;location_data;charge_schedule_data;"
            "preconditioning_schedule_data"
        )
        answer = await sim.get(
            f"{setup['base']}/vehicles/{vin}/vehicle_data", params={"endpoints": endpoints}, headers=setup["headers"]
        )
        assert answer.status_code == 200, answer.text
        truth = (await sim.get(f"/sim/vehicles/{vin}")).json()

        data = normalize_vehicle(answer.json()["response"], with_location=True)
        assert data["online_state"] == "online"
        assert data["charging_state"] == "charging"
        assert data["plugged_in"] is True
        assert data["battery_level_pct"] == round(truth["battery_level"])
        assert data["charge_power_kw"] is not None
        assert data["charge_power_kw"] > 0
        assert data["charge_current_a"] == truth["charge_amps"]
        assert data["charge_voltage_v"] is not None
        assert data["charge_voltage_v"] > 0
        assert data["minutes_to_full_charge"] is not None
        assert data["minutes_to_full_charge"] > 0
        assert data["sentry_mode"] is True
        assert data["locked"] is truth["locked"]
        assert data["software_version"] == truth["firmware"]
        assert data["location"] == {"latitude": truth["latitude"], "longitude": truth["longitude"], "heading_deg": 90}
        assert all(value is not None for value in data.values())
        assert (data["charge_schedules"], data["precondition_schedules"]) == ([], [])

    async def test_energy_site(self, sim: httpx.AsyncClient, factory: SimFactory) -> None:
        app = await factory.app()
        account = await factory.account()
        site_id = (await factory.energy_site(account["id"]))["energy_site_id"]
        tokens = await factory.tokens(app["client_id"], account["id"], ALL_USER_SCOPES)
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        base = f"/na/api/1/energy_sites/{site_id}"
        live = (await sim.get(f"{base}/live_status", headers=headers)).json()["response"]
        info = (await sim.get(f"{base}/site_info", headers=headers)).json()["response"]
        truth = (await sim.get(f"/sim/energy_sites/{site_id}")).json()

        data = normalize_energy_site(live, info)
        assert data["battery_level_pct"] == round(live["percentage_charged"], 1)
        assert abs(data["battery_level_pct"] - truth["percentage_charged"]) < 0.5
        assert data["battery_capacity_wh"] == truth["total_pack_energy_wh"]
        assert data["backup_reserve_pct"] == truth["backup_reserve_percent"]
        assert data["operation_mode"] == truth["operation_mode"]
        assert data["storm_mode_enabled"] is truth["storm_mode_enabled"]
        assert data["grid_status"] == "connected"
        assert all(value is not None for value in data.values())


SCHEDULES: dict[str, Any] = {
    "charge_schedule_data": {
        "charge_schedules": [
            {
                "id": 3,
                "name": "Nights",
                "days_of_week": 2 | 4 | 8 | 16 | 32,
                "enabled": True,
                "start_enabled": True,
                "start_time": 1320,
                "end_enabled": False,
                "end_time": 0,
                "one_time": False,
                "latitude": 37.49,
                "longitude": -121.94,
            },
            {"name": "no id: not a schedule"},
        ]
    },
    "preconditioning_schedule_data": {
        "precondition_schedules": [
            {
                "id": 1,
                "days_of_week": 1 | 64,
                "enabled": False,
                "precondition_time": 450,
                "one_time": True,
                "latitude": 0.0,
                "longitude": 0.0,
            }
        ]
    },
}


class TestSchedules:
    def test_days_minutes_and_the_place_only_with_the_location(self) -> None:
        data = normalize_vehicle(vehicle_fields(**SCHEDULES), with_location=True)
        assert data["charge_schedules"] == [
            {
                "id": 3,
                "name": "Nights",
                "days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                "enabled": True,
                "start_minute": 1320,
                "end_minute": None,
                "one_time": False,
                "place": {"latitude": 37.49, "longitude": -121.94},
            }
        ]
        # A place of 0, 0 is Tesla's "anywhere".
        assert data["precondition_schedules"] == [
            {
                "id": 1,
                "name": None,
                "days": ["sunday", "saturday"],
                "enabled": False,
                "departure_minute": 450,
                "one_time": True,
                "place": None,
            }
        ]
        unplaced = normalize_vehicle(vehicle_fields(**SCHEDULES), with_location=False)
        assert unplaced["charge_schedules"][0]["place"] is None

    def test_the_raw_answer_kept_without_the_location_loses_the_schedules_places(self) -> None:
        stripped = strip_location(vehicle_fields(**SCHEDULES))
        kept = stripped["charge_schedule_data"]["charge_schedules"][0]
        assert "latitude" not in kept
        assert kept["start_time"] == 1320

    def test_without_schedule_data_the_lists_are_null(self) -> None:
        data = normalize_vehicle(vehicle_fields(charge_state={}), with_location=True)
        assert (data["charge_schedules"], data["precondition_schedules"]) == (None, None)
