"""Energy site commands through the API: the utility tariff (time_of_use_settings) reaches the site and shows in
its site_info; a tariff the gateway can tell is incomplete is refused before anything is queued, one the site
refuses fails with the site's words."""

from __future__ import annotations

from typing import Any

import httpx

from tests.gateway.commands_support import finished, submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector

ALL_WEEK = {"fromDayOfWeek": 0, "toDayOfWeek": 6}
TARIFF: dict[str, Any] = {
    "name": "Evening peak",
    "utility": "City Power",
    "currency": "USD",
    "seasons": {
        "Year": {
            "fromMonth": 1,
            "fromDay": 1,
            "toMonth": 12,
            "toDay": 31,
            "tou_periods": {
                "OFF_PEAK": {"periods": [{**ALL_WEEK, "fromHour": 21, "toHour": 16}]},
                "ON_PEAK": {"periods": [{**ALL_WEEK, "fromHour": 16, "toHour": 21}]},
            },
        }
    },
    "energy_charges": {"ALL": {"rates": {"ALL": 0}}, "Year": {"rates": {"OFF_PEAK": 0.12, "ON_PEAK": 0.41}}},
    "sell_tariff": {"energy_charges": {"Year": {"rates": {"OFF_PEAK": 0.03, "ON_PEAK": 0.08}}}},
}


async def test_the_tariff_reaches_the_site(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant) -> None:
    site = (await connect(vehicles=[], energy_sites=1)).energy_site
    done = await finished(tenant.client, site.id, "time_of_use_settings", {"tariff_content_v2": TARIFF})
    assert done["status"] == "succeeded", done
    assert done["idempotent"] is True
    truth = (await sim.get(f"/sim/energy_sites/{site.external_id}")).json()
    assert truth["tariff"] == TARIFF


async def test_an_incomplete_tariff_is_refused_before_queueing(connect: Connector, tenant: Tenant) -> None:
    site = (await connect(vehicles=[], energy_sites=1)).energy_site
    no_prices = {key: value for key, value in TARIFF.items() if key != "energy_charges"}
    error = await submit(tenant.client, site.id, "time_of_use_settings", {"tariff_content_v2": no_prices}, expect=422)
    assert error["error"]["code"] == "validation_error"
    assert "energy_charges" in error["error"]["details"][0]["problem"]


async def test_a_tariff_the_site_refuses_fails_with_its_reason(
    connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
) -> None:
    site = (await connect(vehicles=[], energy_sites=1)).energy_site
    thirteenth = {**TARIFF, "seasons": {"Year": {**TARIFF["seasons"]["Year"], "toMonth": 13}}}
    done = await finished(tenant.client, site.id, "time_of_use_settings", {"tariff_content_v2": thirteenth})
    assert done["status"] == "failed", done
    assert "toMonth" in done["error"]["message"], done["error"]
    assert (await sim.get(f"/sim/energy_sites/{site.external_id}")).json()["tariff"] is None


async def test_the_catalogue_shows_what_is_absent_and_why(api: httpx.AsyncClient) -> None:
    answer = (await api.get("/v1/commands/catalog")).json()
    absent = {entry["name"]: entry for entry in answer["absent"]}
    assert "calendar" in absent["upcoming_calendar_entries"]["reason"]
    assert {entry["name"] for entry in answer["data"]}.isdisjoint(absent)
    energy = (await api.get("/v1/commands/catalog", params={"device_type": "energy_site"})).json()
    assert energy["absent"] == []
    tariff = next(entry for entry in energy["data"] if entry["name"] == "time_of_use_settings")
    assert tariff["tesla"] == "POST /api/1/energy_sites/{energy_site_id}/time_of_use_settings"
    assert tariff["access"] == "energy_commands"
