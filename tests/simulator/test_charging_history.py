"""`GET /api/1/dx/charging/history`: sessions recorded as the car's charging physics run, in Tesla's envelope, with
its paging, scope and billing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.simulator.factories import SimFactory

NO_CHARGING_SCOPE = "openid offline_access vehicle_device_data vehicle_cmds"


async def history(sim: httpx.AsyncClient, setup: dict[str, Any], **params: Any) -> httpx.Response:
    return await sim.get(f"{setup['base']}/dx/charging/history", params=params, headers=setup["headers"])


async def sessions(sim: httpx.AsyncClient, setup: dict[str, Any], **params: Any) -> list[dict[str, Any]]:
    response = await history(sim, setup, **params)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["response"]["data"]
    return data


async def command(sim: httpx.AsyncClient, setup: dict[str, Any], name: str) -> None:
    path = f"{setup['base']}/vehicles/{setup['vehicle']['vin']}/command/{name}"
    response = await sim.post(path, json={}, headers=setup["headers"])
    assert response.json()["response"]["result"] is True, response.text


async def now(sim: httpx.AsyncClient) -> float:
    moment: float = (await sim.get("/sim/clock")).json()["now"]
    return moment


def energy_kwh(session: dict[str, Any]) -> float:
    [fee] = [fee for fee in session["fees"] if fee["feeType"] == "CHARGING"]
    assert fee["uom"] == "kwh"
    usage: float = fee["usageBase"]
    return usage


def at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@pytest.fixture
async def plugged(factory: SimFactory) -> dict[str, Any]:
    """A 75 kWh car at 60 % with its limit at 80 %, plugged in and not charging (7.68 kW when it does)."""
    return await factory.setup(command_signing="allowed", battery_level=60, charge_limit_soc=80, plugged_in=True)


class TestSessions:
    async def test_a_charge_to_the_limit_is_one_session_with_the_energy_it_added(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        assert await sessions(sim, plugged) == []
        started = await now(sim)
        await command(sim, plugged, "charge_start")
        await factory.advance(4 * 3600)  # 15 kWh at 7.68 kW is under 2 hours
        [session] = await sessions(sim, plugged)
        assert energy_kwh(session) == pytest.approx(15.0, abs=0.01)
        assert at(session["chargeStartDateTime"]) == pytest.approx(started, abs=2)
        # It stopped when the limit was reached, not when it was looked at.
        duration = at(session["chargeStopDateTime"]) - at(session["chargeStartDateTime"])
        assert duration == pytest.approx(15.0 / 7.68 * 3600, abs=2)
        assert session["vin"] == plugged["vehicle"]["vin"]
        assert session["siteLocationName"] == "Home"
        assert session["unlatchDateTime"] is None  # still plugged in
        assert session["fees"][0]["totalDue"] == 0  # charging at home is not billed by Tesla

    async def test_a_charge_in_progress_is_not_listed_until_it_stops(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await command(sim, plugged, "charge_start")
        await factory.advance(1800)
        assert await sessions(sim, plugged) == []
        await command(sim, plugged, "charge_stop")
        [session] = await sessions(sim, plugged)
        assert energy_kwh(session) == pytest.approx(7.68 / 2, abs=0.01)
        response = await sim.patch(f"/sim/vehicles/{plugged['vehicle']['vin']}", json={"plugged_in": False})
        assert response.status_code == 200
        await factory.advance(60)
        [unplugged] = await sessions(sim, plugged)
        assert unplugged["unlatchDateTime"] is not None

    async def test_pages_filters_and_order(
        self, plugged: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        starts = []
        for _ in range(3):
            starts.append(await now(sim))
            await command(sim, plugged, "charge_start")
            await factory.advance(600)
            await command(sim, plugged, "charge_stop")
            await factory.advance(600)
        newest_first = await sessions(sim, plugged)
        assert [at(s["chargeStartDateTime"]) for s in newest_first] == pytest.approx(starts[::-1], abs=2)
        body = (await history(sim, plugged, pageNo=1, pageSize=2, sortOrder="ASC")).json()["response"]
        assert (body["totalResults"], body["pageNo"], body["pageSize"]) == (3, 1, 2)
        assert [at(s["chargeStartDateTime"]) for s in body["data"]] == pytest.approx(starts[2:], abs=2)
        since = datetime.fromtimestamp(starts[1] - 1).astimezone().isoformat()
        assert len(await sessions(sim, plugged, startTime=since)) == 2
        assert len(await sessions(sim, plugged, vin=plugged["vehicle"]["vin"])) == 3


class TestGatekeeping:
    async def test_without_the_charging_scope_it_is_403(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes=NO_CHARGING_SCOPE)
        response = await history(sim, setup)
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"

    async def test_another_accounts_car_is_404(self, plugged: dict[str, Any], sim: httpx.AsyncClient) -> None:
        assert (await history(sim, plugged, vin="5YJ3E1EA0KF000000")).status_code == 404

    @pytest.mark.parametrize(
        "params", [{"startTime": "yesterday"}, {"sortBy": "price"}, {"sortOrder": "sideways"}, {"pageSize": 0}]
    )
    async def test_bad_queries_are_refused(
        self, plugged: dict[str, Any], sim: httpx.AsyncClient, params: dict[str, Any]
    ) -> None:
        response = await history(sim, plugged, **params)
        assert response.status_code in (400, 422), response.text

    async def test_it_is_billed_as_data_to_the_account(self, plugged: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await sessions(sim, plugged, vin=plugged["vehicle"]["vin"])
        report = (await sim.get("/sim/usage")).json()
        client = plugged["app"]["client_id"]
        assert report["endpoints"][client]["GET /dx/charging/history"] == 1
        assert report["clients"][client]["totals"]["data"] == 1
        # `vin` filters; the path names no device, so no car's budget counts the call.
        assert plugged["vehicle"]["vin"] not in report["clients"][client]["devices"]
