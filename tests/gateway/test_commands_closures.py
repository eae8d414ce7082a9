"""Locks, trunks, windows, sunroof, HomeLink and the car's sounds and lights through the API, signed and over
REST: what they change on the car, the car's refusals with its reason, and which of them fleetgate will not send
twice on its own."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.command_families import BOTH_WAYS, Via, a_car
from tests.gateway.commands_support import submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_doors_trunks_and_windows(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds("door_unlock")
    assert (await car.state())["locked"] is False
    await car.succeeds("door_lock")
    assert (await car.state())["locked"] is True

    opened = await car.succeeds("actuate_trunk", {"which_trunk": "rear"})
    assert opened["idempotent"] is False
    assert (await car.state())["rear_trunk_open"] is True
    await car.succeeds("actuate_trunk", {"which_trunk": "rear"})  # the liftgate moves back: not sent twice alone
    assert (await car.state())["rear_trunk_open"] is False
    await car.succeeds("actuate_trunk", {"which_trunk": "front"})
    assert (await car.state())["front_trunk_open"] is True

    await car.succeeds("window_control", {"command": "vent"})
    assert (await car.state())["windows_vented"] is True
    await car.succeeds("window_control", {"command": "close", "lat": 37.49, "lon": -121.94})
    assert (await car.state())["windows_vented"] is False
    assert (await car.last_run())["via"] == via


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_sounds_and_lights(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    for name, params in (("honk_horn", {}), ("flash_lights", {}), ("remote_boombox", {"sound": 2000})):
        done = await car.succeeds(name, params)
        assert done["idempotent"] is False
        last = await car.last_run()
        assert (last["name"], last["via"], last["params"]) == (name, via, params)


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_a_moving_car_refuses_with_its_reason(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.drive_off()
    assert await car.refused("honk_horn") == "ingear"
    # The security controller answers a trunk command in its own words, the REST path in the car's.
    trunk = "vcsec could not execute command: GENERICERROR_VEHICLE_NOT_IN_PARK" if via == "signed" else "not_parked"
    assert await car.refused("actuate_trunk", {"which_trunk": "rear"}) == trunk
    assert await car.refused("window_control", {"command": "vent"}) == "not_in_park"
    assert (await car.state())["rear_trunk_open"] is False


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_equipment_the_car_lacks(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    assert await car.refused("trigger_homelink", {"lat": 37.49, "lon": -121.94}) == "not_supported"
    assert await car.refused("sun_roof_control", {"state": "vent"}) == "not_supported"
    assert (await car.last_run())["via"] == via


async def test_bad_closure_params_are_refused_before_queueing(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    car = await a_car(connect, sim, tenant, "signed")
    for name, params, field in (
        ("actuate_trunk", {"which_trunk": "side"}, "params.which_trunk"),
        ("window_control", {"command": "open"}, "params.command"),
        ("sun_roof_control", {"state": "open"}, "params.state"),
        ("trigger_homelink", {"lat": 91, "lon": 0}, "params.lat"),
        ("remote_boombox", {"sound": 1}, "params.sound"),
    ):
        error = (await submit(tenant.client, car.device.id, name, params, expect=422))["error"]
        assert error["details"][0]["field"] == field, error
