"""A device's history on its console page: an energy site's energy of yesterday and its outages, a car's charging
sessions. A page view shows what is stored and never asks Tesla; the section's button loads it through the API's
service (billed as data), and a closed range, once stored, is not read again. Without the access, the section
says why and how to get it, as the capabilities do."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.gateway.conftest import Tenant
from tests.gateway.console_pages import logged_in, open_page
from tests.gateway.flows import Connector
from tests.gateway.test_console_actions import followed
from tests.gateway.test_device_state import calls
from tests.gateway.test_history_charging import CHARGING_HISTORY, charge_to_the_limit
from tests.gateway.test_history_energy import CALENDAR_HISTORY, SITE_ZONE, history
from tests.simulator.auth_helpers import Page


async def load(gateway: httpx.AsyncClient, shown: Page, device_id: str, kind: str) -> Page:
    """Presses the section's button, as a browser sends its form."""
    action = f"/console/devices/{device_id}/history"
    form = next(form for form in shown.forms if form.action == action and form.data()["kind"] == [kind])
    data = {name: values[0] for name, values in form.data().items()}
    return await followed(gateway, await gateway.post(action, data=data))


async def post_history(gateway: httpx.AsyncClient, shown: Page, device_id: str, kind: str) -> Page:
    """The section's form as sent by hand, whether or not the page offers it."""
    token = next(form for form in shown.forms if form.action.endswith("/state")).data()["csrf_token"][0]
    action = f"/console/devices/{device_id}/history"
    return await followed(gateway, await gateway.post(action, data={"csrf_token": token, "kind": kind}))


def section(shown: Page, start: str, end: str) -> str:
    text = shown.text
    return text[text.index(start) : text.index(end, text.index(start))]


def kwh(wh: int) -> str:
    return f"{wh / 1000:.1f} kWh"


class TestEnergySite:
    async def test_yesterday_is_loaded_once_and_then_shown_from_storage(
        self,
        connect: Connector,
        gateway: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        assert (await tenant.client.get(f"/v1/devices/{site.id}/state")).status_code == 200
        await logged_in(gateway, tenant.api_key)
        page = f"/console/devices/{site.id}"
        shown = await open_page(gateway, page)
        assert "Energy yesterday" in shown.text
        assert "Not loaded yet" in section(shown, "Energy yesterday", "Grid outages")
        assert (await calls(sim, tesla_app["client_id"]))[CALENDAR_HISTORY] == 0

        loaded = await load(gateway, shown, site.id, "energy")
        assert "Energy yesterday: read from Tesla just now (billed as data)." in loaded.text
        yesterday = (datetime.now(SITE_ZONE).date() - timedelta(days=1)).isoformat()
        stored = await history(tenant.client, site.id, start=yesterday)
        assert (stored["source"], stored["closed"]) == ("cache", True)
        shown_energy = section(loaded, "Energy yesterday", "Grid outages")
        assert f"{yesterday} (America/Los_Angeles)" in shown_energy
        assert "stored for good" in shown_energy
        for label, name in [("Solar", "solar_wh"), ("Home", "home_wh"), ("Grid export", "grid_export_wh")]:
            assert f"{label} {kwh(stored['energy']['totals'][name])}" in shown_energy
        assert stored["energy"]["totals"]["solar_wh"] > 0
        # Over and stored: nothing to load again, and views do not ask Tesla.
        assert not any(form.data().get("kind") == ["energy"] for form in loaded.forms)
        for _ in range(2):
            await open_page(gateway, page)
        assert (await calls(sim, tesla_app["client_id"]))[CALENDAR_HISTORY] == 1

    async def test_a_site_whose_zone_is_not_known_yet_gets_its_own_yesterday(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{site.id}")
        loaded = await load(gateway, shown, site.id, "energy")
        yesterday = (datetime.now(SITE_ZONE).date() - timedelta(days=1)).isoformat()
        assert f"{yesterday} (America/Los_Angeles)" in section(loaded, "Energy yesterday", "Grid outages")
        assert "Solar" in section(loaded, "Energy yesterday", "Grid outages")

    async def test_an_outage_shows_with_its_duration(
        self, connect: Connector, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        path = f"/sim/energy_sites/{site.external_id}"
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{site.id}")
        empty = await load(gateway, shown, site.id, "backup")
        assert "No outage in this range." in empty.text
        assert (await sim.patch(path, json={"grid_status": "Inactive"})).status_code == 200
        await load(gateway, empty, site.id, "backup")  # the site notices the outage
        assert (await sim.post("/sim/clock", json={"advance_seconds": 5400})).status_code == 200
        assert (await sim.patch(path, json={"grid_status": "Active"})).status_code == 200

        after = await load(gateway, empty, site.id, "backup")
        outages = section(after, "Grid outages in the last 30 days", "Recent commands")
        assert "1 outage, 1 h 30 min off the grid in all." in outages
        assert "Refresh from Tesla" in outages  # the range goes on to today


class TestVehicle:
    async def test_a_charging_session_shows_its_start_duration_and_energy(
        self, connect: Connector, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(vehicles=[{"battery_level": 60, "charge_limit_soc": 80, "plugged_in": True}])).vehicle
        await sim.get(f"/sim/vehicles/{car.external_id}")
        await charge_to_the_limit(sim, car.external_id)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car.id}")
        assert "Not loaded yet" in section(shown, "Charging sessions in the last 30 days", "Recent commands")

        loaded = await load(gateway, shown, car.id, "charging")
        charging = section(loaded, "Charging sessions in the last 30 days", "Recent commands")
        [session] = (await history(tenant.client, car.id, kind="charging", period="week"))["charging"]["sessions"]
        start = datetime.fromisoformat(session["start"]).strftime("%Y-%m-%d %H:%M")
        assert f"{start} 1 h 57 min {kwh(session['energy_added_wh'])} Home" in charging
        assert "1 session, 15.0 kWh added in all." in charging
        assert "(UTC)" in charging

    async def test_without_the_charging_access_the_section_says_why_and_how(
        self,
        connect: Connector,
        gateway: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        tenant: Tenant,
        tesla_app: dict[str, Any],
    ) -> None:
        car = (await connect(grant=["vehicle_data", "vehicle_commands"])).vehicle
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car.id}")
        charging = section(shown, "Charging sessions in the last 30 days", "Recent commands")
        assert "missing_scope" in charging
        assert "Missing access: vehicle_charging_commands" in charging
        assert f"/console/connections/{car.linked.connection_id}#remedies" in shown.links
        assert not any(form.action.endswith("/history") for form in shown.forms)

        # Sent anyway: refused as the API refuses it, before Tesla.
        refused = await post_history(gateway, shown, car.id, "charging")
        assert "not loaded" in refused.text
        assert "(insufficient_scope)" in refused.text
        assert (await calls(sim, tesla_app["client_id"]))[CHARGING_HISTORY] == 0

    @pytest.mark.parametrize("kind", ["energy", "nonsense"])
    async def test_a_kind_the_device_has_not_is_refused(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant, kind: str
    ) -> None:
        car = (await connect()).vehicle
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car.id}")
        refused = await post_history(gateway, shown, car.id, kind)
        assert f"This device has no {kind} history to load." in refused.text
