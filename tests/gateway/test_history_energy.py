"""`GET /v1/devices/{id}/history` for energy sites: energy flows that follow the simulated physics, outages, time
zones, and a closed range read from Tesla once (counted with the simulator's own ledger, `GET /sim/usage`)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import SITE_INFO, calls

CALENDAR_HISTORY = "GET /energy_sites/{energy_site_id}/calendar_history"
SITE_ZONE = ZoneInfo("America/Los_Angeles")  # the simulator's sites'


async def history(api: httpx.AsyncClient, device_id: str, status: int = 200, **params: Any) -> dict[str, Any]:
    response = await api.get(f"/v1/devices/{device_id}/history", params=params)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def local(day: date, hour: int = 0) -> str:
    return datetime.combine(day, time(hour), tzinfo=SITE_ZONE).isoformat()


def days_ago(count: int) -> date:
    return datetime.now(SITE_ZONE).date() - timedelta(days=count)


class TestEnergy:
    async def test_a_day_of_solar_peaks_at_midday_and_is_none_at_night(
        self, connect: Connector, tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        day = days_ago(2)

        def solar(body: dict[str, Any]) -> int:
            value: int = body["energy"]["totals"]["solar_wh"]
            return value

        night = await history(tenant.client, site.id, start=local(day, 0), end=local(day, 5))
        morning = await history(tenant.client, site.id, start=local(day, 7), end=local(day, 9))
        midday = await history(tenant.client, site.id, start=local(day, 11), end=local(day, 13))
        evening = await history(tenant.client, site.id, start=local(day, 19), end=local(day, 23))
        assert solar(night) == 0
        assert solar(evening) == 0
        # A 7 kW sine arch from 6:00 to 18:00: about 13.8 kWh between 11 and 13, about 6.9 between 7 and 9.
        assert solar(midday) == pytest.approx(13_800, rel=0.02)
        assert solar(morning) == pytest.approx(6_920, rel=0.02)
        [interval] = midday["energy"]["intervals"]
        # The day's interval, cut to the range asked for, with the site's offset.
        assert (interval["start"], interval["end"]) == (local(day, 11), local(day, 13))

    async def test_a_whole_day_adds_up_and_is_in_the_sites_time_zone(self, connect: Connector, tenant: Tenant) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        day = days_ago(3)
        body = await history(tenant.client, site.id, kind="energy", period="day", start=day.isoformat())

        assert (body["device_id"], body["type"], body["kind"], body["period"]) == (
            site.id,
            "energy_site",
            "energy",
            "day",
        )
        assert body["time_zone"] == "America/Los_Angeles"
        assert body["range"] == {"start": local(day), "end": local(day + timedelta(days=1))}
        assert (body["source"], body["closed"]) == ("live", True)
        assert body["backup"] is None
        assert body["charging"] is None
        [interval] = body["energy"]["intervals"]
        assert interval["start"] == local(day)
        assert interval["solar_wh"] == pytest.approx(7000 * 12 * 2 / 3.14159, rel=0.02)
        assert interval["home_wh"] == pytest.approx(1200 * 24, rel=0.1)
        sources = interval["solar_to_home_wh"] + interval["battery_to_home_wh"] + interval["grid_to_home_wh"]
        assert abs(interval["home_wh"] - sources) <= 3
        assert abs(interval["grid_import_wh"] - interval["grid_to_home_wh"] - interval["grid_to_battery_wh"]) <= 3
        assert body["energy"]["totals"]["solar_wh"] == interval["solar_wh"]

    async def test_another_time_zone_cuts_the_days_there(self, connect: Connector, tenant: Tenant) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        day = days_ago(3)
        body = await history(tenant.client, site.id, start=day.isoformat(), time_zone="UTC")
        assert body["time_zone"] == "UTC"
        [interval] = body["energy"]["intervals"]
        assert (interval["start"], interval["end"]) == (
            f"{day}T00:00:00+00:00",
            f"{day + timedelta(days=1)}T00:00:00+00:00",
        )
        # Midnight in UTC is late afternoon in California: the UTC day holds parts of two local days' sunshine.
        assert interval["solar_wh"] == pytest.approx(7000 * 12 * 2 / 3.14159, rel=0.02)

    async def test_a_range_in_another_zone_does_not_stand_for_the_sites_zone(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        await history(tenant.client, site.id, start=days_ago(3).isoformat(), time_zone="UTC")
        assert (await calls(sim, tesla_app["client_id"]))[SITE_INFO] == 0  # the zone was given
        for day in (4, 5):
            body = await history(tenant.client, site.id, start=days_ago(day).isoformat())
            assert body["time_zone"] == "America/Los_Angeles"
        assert (await calls(sim, tesla_app["client_id"]))[SITE_INFO] == 1  # asked once, then known

    async def test_a_week_has_a_day_per_interval(self, connect: Connector, tenant: Tenant) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        today = days_ago(0)
        monday = today - timedelta(days=today.weekday() + 7)
        body = await history(tenant.client, site.id, period="week", start=monday.isoformat())
        intervals = body["energy"]["intervals"]
        assert [item["start"] for item in intervals] == [local(monday + timedelta(days=n)) for n in range(7)]
        assert body["closed"] is True
        # Clear skies every day: each day makes the same solar.
        assert len({round(item["solar_wh"], -2) for item in intervals}) == 1

    async def test_a_year_has_a_month_per_interval_across_daylight_saving(
        self, connect: Connector, tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        year = days_ago(0).year - 1
        body = await history(tenant.client, site.id, period="year", start=f"{year}-01-01")
        intervals = body["energy"]["intervals"]
        assert [item["start"] for item in intervals] == [local(date(year, month, 1)) for month in range(1, 13)]
        assert intervals[-1]["end"] == local(date(year + 1, 1, 1))
        # Winter months in -08:00, summer ones in -07:00: each interval carries its own offset.
        assert {item["start"][-6:] for item in intervals} == {"-08:00", "-07:00"}
        assert body["range"] == {"start": local(date(year, 1, 1)), "end": local(date(year + 1, 1, 1))}
        solar = [item["solar_wh"] for item in intervals]
        # The same clear day every day: a month's solar follows its number of days.
        february = (date(year, 3, 1) - date(year, 2, 1)).days
        assert solar[1] / solar[0] == pytest.approx(february / 31, rel=0.01)
        assert body["energy"]["totals"]["solar_wh"] == sum(solar)

    async def test_a_closed_range_is_read_from_tesla_once(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        day = days_ago(5).isoformat()
        first = await history(tenant.client, site.id, start=day)
        second = await history(tenant.client, site.id, start=day, max_age=0)
        assert (first["source"], second["source"]) == ("live", "cache")
        assert second["energy"] == first["energy"]
        assert second["fetched_at"] == first["fetched_at"]
        other_day = await history(tenant.client, site.id, start=days_ago(6).isoformat())
        assert other_day["source"] == "live"
        counted = await calls(sim, tesla_app["client_id"])
        # The time zone came from site_info once; the second range knew it from the first.
        assert (counted[CALENDAR_HISTORY], counted[SITE_INFO]) == (2, 1)
        usage = (await sim.get("/sim/usage")).json()["clients"][tesla_app["client_id"]]
        assert usage["devices"][site.external_id]["data"] == 3

    async def test_concurrent_requests_make_one_upstream_read(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        await history(tenant.client, site.id, start=days_ago(9).isoformat())  # the time zone, known from now on
        slow = await sim.post("/sim/faults", json={"path": "/calendar_history", "latency_ms": 300, "count": 1})
        assert slow.status_code == 201, slow.text
        day = days_ago(8).isoformat()
        answers = await asyncio.gather(*(history(tenant.client, site.id, start=day) for _ in range(10)))
        assert len({answer["fetched_at"] for answer in answers}) == 1
        assert {answer["source"] for answer in answers} == {"live"}
        assert (await calls(sim, tesla_app["client_id"]))[CALENDAR_HISTORY] == 2

    async def test_today_is_open_and_cached_briefly(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        first = await history(tenant.client, site.id)
        assert first["closed"] is False
        assert first["range"]["start"] == local(days_ago(0))
        assert (await history(tenant.client, site.id))["source"] == "cache"
        assert (await history(tenant.client, site.id, max_age=0))["source"] == "live"
        assert (await calls(sim, tesla_app["client_id"]))[CALENDAR_HISTORY] == 2

    async def test_the_stored_state_gives_the_time_zone(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        assert (await tenant.client.get(f"/v1/devices/{site.id}/state")).status_code == 200
        await history(tenant.client, site.id, start=days_ago(1).isoformat())
        assert (await calls(sim, tesla_app["client_id"]))[SITE_INFO] == 1  # the state read's, not another


class TestBackup:
    async def test_an_outage_is_reported_with_its_duration(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        path = f"/sim/energy_sites/{site.external_id}"
        assert (await history(tenant.client, site.id, kind="backup"))["backup"]["events"] == []
        assert (await sim.patch(path, json={"grid_status": "Inactive"})).status_code == 200
        await history(tenant.client, site.id, kind="backup", max_age=0)  # the site notices the outage
        assert (await sim.post("/sim/clock", json={"advance_seconds": 5400})).status_code == 200
        ongoing = await history(tenant.client, site.id, kind="backup", period="week", max_age=0)
        [so_far] = ongoing["backup"]["events"]
        assert so_far["duration_s"] == pytest.approx(5400, abs=5)
        assert (await sim.patch(path, json={"grid_status": "Active"})).status_code == 200
        body = await history(tenant.client, site.id, kind="backup", period="week", max_age=0)

        [event] = body["backup"]["events"]
        assert event["duration_s"] == pytest.approx(5400, abs=5)
        start, end = datetime.fromisoformat(event["start"]), datetime.fromisoformat(event["end"])
        assert (end - start).total_seconds() == event["duration_s"]
        assert start.utcoffset() == datetime.now(SITE_ZONE).utcoffset()
        assert body["backup"]["totals"] == {"events": 1, "duration_s": event["duration_s"]}
        assert body["energy"] is None

    async def test_a_closed_range_without_outages_is_read_once(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        for _ in range(2):
            body = await history(tenant.client, site.id, kind="backup", period="month", start="2026-01-01")
            assert body["backup"] == {"events": [], "totals": {"events": 0, "duration_s": 0}}
            assert body["closed"] is True
        assert (await calls(sim, tesla_app["client_id"]))[CALENDAR_HISTORY] == 1
