"""Media, volume, navigation and the car's name through the API, signed to a car that requires it and over REST to
one without the protocol. A shared address goes over REST even to a car that requires signing (Tesla forwards
it)."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.command_families import BOTH_WAYS, Via, a_car
from tests.gateway.commands_support import submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector

SHARED = {"type": "share_ext_content_raw", "value": {"android.intent.extra.TEXT": "1 Tesla Road, Austin"}}


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_media_and_volume(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    toggled = await car.succeeds("media_toggle_playback")
    assert toggled["idempotent"] is False
    assert (await car.state())["media_playing"] is True
    for skip in ("media_next_track", "media_prev_track", "media_next_fav", "media_prev_fav"):
        await car.succeeds(skip)
    await car.succeeds("adjust_volume", {"volume": 6})
    assert (await car.state())["audio_volume"] == 6
    await car.succeeds("media_volume_up")
    louder = (await car.state())["audio_volume"]
    assert louder > 6
    await car.succeeds("media_volume_down")
    assert (await car.state())["audio_volume"] < louder
    assert (await car.last_run())["via"] == via


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_destinations_and_the_name(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds("navigation_gps_request", {"lat": 48.8584, "lon": 2.2945})
    assert (await car.state())["navigation_destination"] == "48.858400,2.294500"
    assert (await car.last_run())["via"] == via
    await car.succeeds("navigation_request", SHARED)
    assert (await car.state())["navigation_destination"] == "1 Tesla Road, Austin"
    assert (await car.last_run())["via"] == "rest"
    await car.succeeds("set_vehicle_name", {"vehicle_name": "Blue Thunder"})
    assert (await car.state())["display_name"] == "Blue Thunder"


@pytest.mark.parametrize("via", BOTH_WAYS)
async def test_superchargers_and_trips(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via) -> None:
    car = await a_car(connect, sim, tenant, via)
    await car.succeeds("navigation_sc_request", {"id": 1234, "order": 1})
    assert (await car.state())["navigation_destination"] == "Supercharger 1234"
    await car.succeeds("navigation_waypoints_request", {"waypoints": "refId:ChIJAAA,refId:ChIJBBB"})
    assert (await car.state())["navigation_destination"] == "refId:ChIJBBB"
    assert (await car.last_run())["via"] == via


async def test_bad_media_and_navigation_params_are_refused_before_queueing(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    car = await a_car(connect, sim, tenant, "signed")
    for name, params, field in (
        ("adjust_volume", {"volume": 12}, "params.volume"),
        ("navigation_request", {"value": {"text": "somewhere"}}, "params.value"),
        ("navigation_gps_request", {"lat": 10, "lon": 181}, "params.lon"),
        ("set_vehicle_name", {"vehicle_name": "   "}, "params.vehicle_name"),
        ("media_next_track", {"steps": 2}, "params.steps"),
    ):
        error = (await submit(tenant.client, car.device.id, name, params, expect=422))["error"]
        assert error["details"][0]["field"] == field, error
