"""Software updates through the API, signed and over REST: scheduling one in park, cancelling it, and the car's
refusals with its reason."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.command_families import BOTH_WAYS, Via, a_car
from tests.gateway.commands_support import submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_an_update_is_scheduled_and_cancelled(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via)
    assert await car.refused("cancel_software_update") == "no_update_scheduled"
    await car.succeeds("schedule_software_update", {"offset_sec": 3600})
    scheduled = (await car.state())["software_update_scheduled_at"]
    assert scheduled is not None
    await car.succeeds("cancel_software_update")
    assert (await car.state())["software_update_scheduled_at"] is None
    assert (await car.last_run())["via"] == via


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_a_moving_car_refuses_to_schedule_it(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via
) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.drive_off()
    assert await car.refused("schedule_software_update", {"offset_sec": 0}) == "not_in_park"


async def test_a_negative_delay_is_refused_before_queueing(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    car = await a_car(connect, sim, tenant, "signed")
    error = await submit(tenant.client, car.device.id, "schedule_software_update", {"offset_sec": -1}, expect=422)
    assert error["error"]["details"][0]["field"] == "params.offset_sec"
