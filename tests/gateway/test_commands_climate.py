"""Climate commands through the API, signed to a car that requires it and over REST to one without the protocol:
each changes the car's climate, the car's refusals come back with its reason, and bad params are refused before
anything is queued."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.command_families import BOTH_WAYS, Via, a_car
from tests.gateway.commands_support import submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_the_climate_settings_change_the_car(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds("auto_conditioning_start")
    await car.succeeds("set_temps", {"driver_temp": 23, "passenger_temp": 20.5})
    await car.succeeds("set_cabin_overheat_protection", {"on": True, "fan_only": True})
    await car.succeeds("set_cop_temp", {"cop_temp": 0})
    await car.succeeds("set_bioweapon_mode", {"on": True})
    await car.succeeds("set_preconditioning_max", {"on": True})
    state = await car.state()
    assert state["is_climate_on"] is True
    assert (state["driver_temp_setting"], state["passenger_temp_setting"]) == (23, 20.5)
    assert state["cabin_overheat_protection"] == "FanOnly"
    assert state["cop_activation_temperature"] == "Low"
    assert state["bioweapon_mode"] is True
    assert state["max_defrost"] is True
    assert (await car.last_run())["via"] == via

    await car.succeeds("set_climate_keeper_mode", {"climate_keeper_mode": 2})
    assert (await car.state())["climate_keeper_mode"] == "dog"
    await car.succeeds("auto_conditioning_stop")
    state = await car.state()
    assert (state["is_climate_on"], state["climate_keeper_mode"], state["max_defrost"]) == (False, "off", False)


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_climate_keeper_is_refused_while_driving(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.drive_off()
    assert await car.refused("set_climate_keeper_mode", {"climate_keeper_mode": 3}) == "not_in_park"
    assert (await car.state())["climate_keeper_mode"] == "off"


async def test_settings_the_car_does_not_offer_are_refused_before_queueing(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    car = await a_car(connect, sim, tenant, "signed")
    for name, params, field in (
        ("set_climate_keeper_mode", {"climate_keeper_mode": 4}, "params.climate_keeper_mode"),
        ("set_cop_temp", {"cop_temp": 3}, "params.cop_temp"),
        ("set_temps", {"driver_temp": 30, "passenger_temp": 20}, "params.driver_temp"),
        ("set_bioweapon_mode", {"on": "maybe"}, "params.on"),
    ):
        error = (await submit(tenant.client, car.device.id, name, params, expect=422))["error"]
        assert error["details"][0]["field"] == field, error
    assert (await car.state())["executed_commands"] == []
