"""Charge limits, the charge and precondition schedules and the departure planner through the API, signed to a car
that requires it and over REST to one without the protocol. They take the charging access alone."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.command_families import BOTH_WAYS, Via, a_car
from tests.gateway.commands_support import finished, submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector

HOME = {"lat": 37.4925, "lon": -121.9447}
WEEKNIGHTS = {"days_of_week": "Weekdays", "enabled": True, **HOME}


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_standard_and_max_range_limits(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds("charge_max_range")
    assert (await car.state())["charge_limit_soc"] == 100
    await car.succeeds("charge_standard")
    assert (await car.state())["charge_limit_soc"] == 80
    assert await car.refused("charge_standard") == "already_started"
    await car.succeeds("set_scheduled_charging", {"enable": True, "time": 23 * 60})
    state = await car.state()
    assert (state["scheduled_charging_mode"], state["scheduled_charging_start_time"]) == ("StartAt", 23 * 60)
    assert (await car.last_run())["via"] == via


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_schedules(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    charge = {**WEEKNIGHTS, "start_enabled": True, "start_time": 22 * 60, "end_enabled": False, "name": "Nights"}
    added = await car.succeeds("add_charge_schedule", charge)
    assert added["params"] == charge
    assert (await car.last_run())["params"] == charge
    await car.succeeds(
        "add_precondition_schedule", {**WEEKNIGHTS, "days_of_week": "mon,Thurs", "precondition_time": 450}
    )
    state = await car.state()
    assert [(s["id"], s["name"], s["start_time"]) for s in state["charge_schedules"]] == [(1, "Nights", 22 * 60)]
    [precondition] = state["precondition_schedules"]
    assert (precondition["days_of_week"], precondition["precondition_time"]) == (2 | 16, 450)
    await car.succeeds("remove_charge_schedule", {"id": 1})
    await car.succeeds("remove_precondition_schedule", {"id": 1})
    state = await car.state()
    assert (state["charge_schedules"], state["precondition_schedules"]) == ([], [])
    runs = [(run["name"], run["via"], run["result"]) for run in state["executed_commands"]]
    assert runs == [
        ("add_charge_schedule", via, True),
        ("add_precondition_schedule", via, True),
        ("remove_charge_schedule", via, True),
        ("remove_precondition_schedule", via, True),
    ]


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_the_departure_planner(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds(
        "set_scheduled_departure",
        {"enable": True, "departure_time": 7 * 60, "preconditioning_enabled": True},
    )
    state = await car.state()
    assert (state["scheduled_departure_enabled"], state["scheduled_departure_minutes"]) == (True, 7 * 60)
    assert (await car.last_run())["via"] == via
    await car.succeeds("set_scheduled_departure", {"enable": False})
    assert (await car.state())["scheduled_departure_enabled"] is False


async def test_the_charging_access_alone_is_enough(connect: Connector, tenant: Tenant) -> None:
    linked = await connect(vehicles=[{"command_signing": "off"}], grant=["vehicle_data", "vehicle_charging_commands"])
    car = linked.vehicle
    schedule = {**WEEKNIGHTS, "start_enabled": False, "end_enabled": True, "end_time": 6 * 60}
    done = await finished(tenant.client, car.id, "add_charge_schedule", schedule)
    assert done["status"] == "succeeded", done
    departure = await finished(tenant.client, car.id, "set_scheduled_departure", {"enable": False})
    assert departure["status"] == "succeeded", departure


async def test_incomplete_schedules_are_refused_before_queueing(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    car = await a_car(connect, sim, tenant, "rest")
    for name, params, problem in (
        (
            "add_charge_schedule",
            {**WEEKNIGHTS, "days_of_week": "Funday", "start_enabled": False, "end_enabled": False},
            "unknown day 'Funday'",
        ),
        ("add_charge_schedule", {**WEEKNIGHTS, "start_enabled": True, "end_enabled": False}, "start_time is required"),
        ("add_precondition_schedule", {**WEEKNIGHTS, "precondition_time": 1440}, "less than or equal to 1439"),
        ("set_scheduled_departure", {"enable": True}, "departure_time is required"),
        ("remove_charge_schedule", {}, "Field required"),
    ):
        error = (await submit(tenant.client, car.device.id, name, params, expect=422))["error"]
        assert problem in error["details"][0]["problem"], error
    assert (await car.state())["executed_commands"] == []


async def test_a_schedule_set_is_read_back_in_the_device_state(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    car = await a_car(connect, sim, tenant, "signed")
    nights = {**WEEKNIGHTS, "start_enabled": True, "start_time": 22 * 60, "end_enabled": True, "end_time": 6 * 60}
    await car.succeeds("add_charge_schedule", {**nights, "name": "Nights"})
    await car.succeeds("add_precondition_schedule", {**WEEKNIGHTS, "precondition_time": 450})
    response = await tenant.client.get(f"/v1/devices/{car.device.id}/state", params={"max_age": 0})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    assert data["charge_schedules"] == [
        {
            "id": 1,
            "name": "Nights",
            "days": weekdays,
            "enabled": True,
            "start_minute": 22 * 60,
            "end_minute": 6 * 60,
            "one_time": False,
            "place": {"latitude": HOME["lat"], "longitude": HOME["lon"]},
        }
    ]
    [precondition] = data["precondition_schedules"]
    assert (precondition["days"], precondition["departure_minute"]) == (weekdays, 450)


async def test_without_the_location_a_schedule_has_no_place(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    linked = await connect(vehicles=[{"command_signing": "off"}], grant=["vehicle_data", "vehicle_charging_commands"])
    car = linked.vehicle
    schedule = {**WEEKNIGHTS, "start_enabled": True, "start_time": 60, "end_enabled": False}
    assert (await finished(tenant.client, car.id, "add_charge_schedule", schedule))["status"] == "succeeded"
    response = await tenant.client.get(f"/v1/devices/{car.id}/state", params={"max_age": 0, "raw": True})
    assert response.status_code == 200, response.text
    [stored] = response.json()["data"]["charge_schedules"]
    assert stored["place"] is None
    raw = response.json()["raw"]["vehicle_data"]["charge_schedule_data"]["charge_schedules"]
    assert raw[0]["start_time"] == 60
    assert "latitude" not in raw[0]
