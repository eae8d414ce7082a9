"""Sentry, valet, speed limit, PIN to drive, guest mode, keyless driving and erasing the drivers' data through
the API, signed and over REST. The car keeps the first PIN it is given, and refuses another with its reason."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.command_families import BOTH_WAYS, Via, a_car
from tests.gateway.commands_support import submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_speed_limit_mode_and_its_pin(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds("speed_limit_set_limit", {"limit_mph": 70})
    await car.succeeds("speed_limit_activate", {"pin": "1234"})
    state = await car.state()
    assert (state["speed_limit_active"], state["speed_limit_mph"]) == (True, 70)
    assert await car.refused("speed_limit_deactivate", {"pin": "4321"}) == "incorrect_pin"
    assert await car.refused("speed_limit_set_limit", {"limit_mph": 80}) == "speed_limit_mode_active"
    assert (await car.state())["speed_limit_active"] is True
    await car.succeeds("speed_limit_deactivate", {"pin": "1234"})
    assert (await car.state())["speed_limit_active"] is False
    assert await car.refused("speed_limit_clear_pin", {"pin": "0000"}) == "incorrect_pin"
    await car.succeeds("speed_limit_clear_pin", {"pin": "1234"})
    await car.succeeds("speed_limit_activate", {"pin": "0000"})  # a new PIN, now that the old one is cleared
    await car.succeeds("speed_limit_clear_pin_admin")
    assert (await car.state())["speed_limit_active"] is False
    assert (await car.last_run())["via"] == via


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_valet_mode_and_its_pin(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds("set_valet_mode", {"on": True, "password": "2468"})
    assert (await car.state())["valet_mode"] is True
    assert await car.refused("set_sentry_mode", {"on": True}) == "valet_mode"
    assert await car.refused("reset_valet_pin") == "valet_mode_on"
    await car.succeeds("set_valet_mode", {"on": False})
    assert await car.refused("set_valet_mode", {"on": True, "password": "1357"}) == "invalid_password"
    await car.succeeds("reset_valet_pin")
    await car.succeeds("set_valet_mode", {"on": True, "password": "1357"})
    assert (await car.state())["valet_mode"] is True


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_sentry_pin_to_drive_guest_mode_and_keyless_driving(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds("set_sentry_mode", {"on": True})
    await car.succeeds("set_pin_to_drive", {"on": True, "password": "1111"})
    await car.succeeds("guest_mode", {"enable": True})
    started = await car.succeeds("remote_start_drive")
    assert started["idempotent"] is False
    state = await car.state()
    assert (state["sentry_mode"], state["pin_to_drive"], state["guest_mode"]) == (True, True, True)
    assert state["remote_start_until"] is not None
    await car.succeeds("reset_pin_to_drive_pin")
    assert (await car.state())["pin_to_drive"] is False
    await car.succeeds("set_pin_to_drive", {"on": True})
    await car.succeeds("clear_pin_to_drive_admin")
    assert (await car.state())["pin_to_drive"] is False
    await car.succeeds("erase_user_data")
    assert (await car.last_run())["via"] == via


async def test_pins_that_are_not_four_digits_are_refused_before_queueing(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    car = await a_car(connect, sim, tenant, "signed")
    for name, params, field in (
        ("speed_limit_activate", {"pin": "12a4"}, "params.pin"),
        ("speed_limit_deactivate", {"pin": 1234}, "params.pin"),
        ("set_valet_mode", {"on": True, "password": "12345"}, "params.password"),
        ("speed_limit_set_limit", {"limit_mph": 130}, "params.limit_mph"),
        ("guest_mode", {}, "params.enable"),
    ):
        error = (await submit(tenant.client, car.device.id, name, params, expect=422))["error"]
        assert error["details"][0]["field"] == field, error
