"""`GET /v1/devices/{id}/history?kind=charging`: a car's charging sessions as its simulated physics made them, in
UTC, read from Tesla once the range has settled, billed as data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import calls
from tests.gateway.test_history_energy import history

CHARGING_HISTORY = "GET /dx/charging/history"
# 75 kWh from 60 % to 80 % at 32 A × 240 V.
ADDED_WH = 15_000
POWER_KW = 7.68


async def charge_to_the_limit(sim: httpx.AsyncClient, vin: str) -> None:
    started = await sim.patch(f"/sim/vehicles/{vin}", json={"charging_state": "Charging"})
    assert started.status_code == 200, started.text
    advanced = await sim.post("/sim/clock", json={"advance_seconds": 4 * 3600})
    assert advanced.status_code == 200, advanced.text


class TestCharging:
    async def test_a_charge_from_60_to_80_percent_is_one_session_with_the_energy_it_added(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(vehicles=[{"battery_level": 60, "charge_limit_soc": 80, "plugged_in": True}])).vehicle
        await sim.get(f"/sim/vehicles/{car.external_id}")
        await charge_to_the_limit(sim, car.external_id)
        body = await history(tenant.client, car.id, kind="charging", period="week")

        assert (body["type"], body["kind"], body["time_zone"]) == ("vehicle", "charging", "UTC")
        assert body["closed"] is False  # this week is still going on
        assert body["energy"] is None
        assert body["backup"] is None
        [session] = body["charging"]["sessions"]
        assert session["energy_added_wh"] == pytest.approx(ADDED_WH, abs=10)
        assert session["duration_s"] == pytest.approx(ADDED_WH / 1000 / POWER_KW * 3600, abs=3)
        start, end = datetime.fromisoformat(session["start"]), datetime.fromisoformat(session["end"])
        assert start.utcoffset() == timedelta(0)
        assert (end - start).total_seconds() == session["duration_s"]
        assert abs((start - datetime.now(UTC)).total_seconds()) < 60
        assert session["location_name"] == "Home"
        assert session["cost"] == {"amount": 0.0, "currency": "USD"}
        assert session["unplugged_at"] is None
        assert body["charging"]["totals"] == {"sessions": 1, "energy_added_wh": session["energy_added_wh"]}
        truth = (await sim.get(f"/sim/vehicles/{car.external_id}")).json()
        assert truth["battery_level"] == pytest.approx(80, abs=0.01)

    async def test_a_settled_range_is_read_from_tesla_once(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect()).vehicle
        day = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
        first = await history(tenant.client, car.id, kind="charging", start=day)
        second = await history(tenant.client, car.id, kind="charging", start=day, max_age=0)
        assert (first["closed"], first["source"], second["source"]) == (True, "live", "cache")
        assert first["charging"] == {"sessions": [], "totals": {"sessions": 0, "energy_added_wh": None}}
        assert (await calls(sim, tesla_app["client_id"]))[CHARGING_HISTORY] == 1
        # Billed as data, in fleetgate's ledger as at Tesla.
        tesla = (await sim.get("/sim/usage")).json()["clients"][tesla_app["client_id"]]["totals"]
        ours = (await tenant.client.get("/v1/usage")).json()["totals"]
        assert tesla["data"] == ours["data"] == 1

    async def test_yesterday_is_not_settled_yet(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect()).vehicle
        yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        body = await history(tenant.client, car.id, kind="charging", start=yesterday)
        # A charge that began late yesterday may still go on: Tesla lists it only once it ends.
        assert body["closed"] is False

    async def test_a_time_zone_cuts_the_days_and_dates_the_sessions(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(vehicles=[{"battery_level": 60, "charge_limit_soc": 80, "plugged_in": True}])).vehicle
        await sim.get(f"/sim/vehicles/{car.external_id}")
        await charge_to_the_limit(sim, car.external_id)
        berlin = ZoneInfo("Europe/Berlin")
        body = await history(tenant.client, car.id, period="week", time_zone="Europe/Berlin")
        assert body["time_zone"] == "Europe/Berlin"
        start = datetime.fromisoformat(body["range"]["start"])
        assert (start.hour, start.weekday(), start.utcoffset()) == (0, 0, datetime.now(berlin).utcoffset())
        [session] = body["charging"]["sessions"]
        assert datetime.fromisoformat(session["start"]).utcoffset() == start.utcoffset()

    async def test_a_car_has_charging_history_by_default(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect()).vehicle
        assert (await history(tenant.client, car.id))["kind"] == "charging"
