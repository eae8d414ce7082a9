"""Seat and steering wheel commands through the API, signed to a car that requires it and over REST to one
without the protocol. A car refuses what it is not fitted with, and heating with the climate off, with its own
reason."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.command_families import BOTH_WAYS, Via, a_car
from tests.gateway.commands_support import submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_seats_and_the_wheel_of_a_well_equipped_car(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via, model="Model S")
    assert await car.refused("remote_seat_heater_request", {"seat_position": 0, "level": 3}) == "climate_off"
    await car.succeeds("auto_conditioning_start")
    await car.succeeds("remote_seat_heater_request", {"seat_position": 0, "level": 3})
    await car.succeeds("remote_seat_heater_request", {"seat_position": 4, "level": 1})
    assert (await car.state())["seat_heaters"] == {"0": 3, "4": 1}
    cooled = await car.succeeds("remote_seat_cooler_request", {"seat_position": 2, "seat_cooler_level": 2})
    assert cooled["params"] == {"seat_position": 2, "seat_cooler_level": 2}
    await car.succeeds("remote_auto_seat_climate_request", {"auto_seat_position": 1, "auto_climate_on": True})
    await car.succeeds("remote_steering_wheel_heat_level_request", {"level": 1})
    assert (await car.state())["steering_wheel_heater"] is True
    await car.succeeds("remote_auto_steering_wheel_heat_climate_request", {"on": True})
    runs = [(run["name"], run["via"], run["result"]) for run in (await car.state())["executed_commands"]]
    assert ("remote_seat_cooler_request", via, True) in runs
    assert ("remote_auto_seat_climate_request", via, True) in runs


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_a_car_refuses_what_it_is_not_fitted_with(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via, model="Model 3")
    await car.succeeds("auto_conditioning_start")
    assert await car.refused("remote_seat_cooler_request", {"seat_position": 1, "seat_cooler_level": 1}) == (
        "not_supported"
    )
    assert await car.refused("remote_steering_wheel_heat_level_request", {"level": 3}) == "not_supported"
    assert await car.refused("remote_seat_heater_request", {"seat_position": 7, "level": 1}) == "invalid_seat"


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_the_wheel_heater(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    assert await car.refused("remote_steering_wheel_heater_request", {"on": True}) == "climate_off"
    await car.succeeds("auto_conditioning_start")
    await car.succeeds("remote_steering_wheel_heater_request", {"on": True})
    assert (await car.state())["steering_wheel_heater"] is True
    assert (await car.last_run())["via"] == via


async def test_levels_the_car_does_not_have_are_refused_before_queueing(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    car = await a_car(connect, sim, tenant, "rest")
    for name, params, field in (
        ("remote_seat_heater_request", {"seat_position": 9, "level": 1}, "params.seat_position"),
        ("remote_seat_heater_request", {"seat_position": 0, "level": 4}, "params.level"),
        ("remote_seat_cooler_request", {"seat_position": 0, "seat_cooler_level": 1}, "params.seat_position"),
        ("remote_steering_wheel_heat_level_request", {"level": 2}, "params.level"),
    ):
        error = (await submit(tenant.client, car.device.id, name, params, expect=422))["error"]
        assert error["details"][0]["field"] == field, error
