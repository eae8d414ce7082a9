"""The console's command forms for the whole catalogue: commands grouped by family, an input for each parameter's
type, what a form sends typed as JSON types it, bad JSON refused in the form before anything is queued, and the
API's own 422 beside the field it names."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fleetgate.features.commands.catalog import CATALOG
from tests.gateway.conftest import Tenant
from tests.gateway.console_pages import csrf_token, logged_in, open_page
from tests.gateway.flows import Connector
from tests.simulator.auth_helpers import Page
from tests.support.polling import eventually

SHARE_TEXT = "android.intent.extra.TEXT"


async def device_of(connect: Connector, tenant: Tenant, device_type: str, **linking: Any) -> dict[str, Any]:
    await connect(**linking)
    listed = (await tenant.client.get("/v1/devices", params={"type": device_type})).json()["data"]
    found: dict[str, Any] = listed[0]
    return found


def tags_named(shown: Page, name: str) -> list[tuple[str, dict[str, str]]]:
    return [(tag, attrs) for tag, attrs in shown.tags if attrs.get("name") == name]


async def send(gateway: httpx.AsyncClient, shown: Page, device_id: str, **fields: str) -> httpx.Response:
    return await gateway.post(
        f"/console/devices/{device_id}/commands", data={"csrf_token": csrf_token(shown), **fields}
    )


async def ended(tenant: Tenant, response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 303, response.text
    command_id = response.headers["location"].rsplit("/", 1)[1]
    finished = await eventually(
        lambda: tenant.client.get(f"/v1/commands/{command_id}"),
        until=lambda found: found.json()["status"] not in ("queued", "in_progress"),
        what="the command to end",
    )
    body: dict[str, Any] = finished.json()
    return body


class TestTheForms:
    async def test_every_vehicle_command_has_a_form_in_its_family(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = await device_of(connect, tenant, "vehicle", paired=True)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car['id']}/commands/new")
        names = {spec.name for spec in CATALOG if spec.device_type == "vehicle"}
        commands = {attrs["value"] for tag, attrs in shown.tags if tag == "option" and attrs.get("value") in names}
        assert commands == names
        families = [attrs["label"] for tag, attrs in shown.tags if tag == "optgroup"]
        assert {"Charging", "Climate and seats", "Security and driving limits"} <= set(families)
        assert len(families) == len(set(families))
        for name in names:
            assert f"command-{name}" in {attrs.get("id") for _, attrs in shown.tags}

    async def test_each_parameter_type_has_its_input(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = await device_of(connect, tenant, "vehicle", paired=True)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car['id']}/commands/new")
        by_id = {attrs.get("id"): (tag, attrs) for tag, attrs in shown.tags if attrs.get("id")}
        name_tag, name = by_id["set_vehicle_name-vehicle_name"]
        assert (name_tag, name["type"], name["maxlength"], name["minlength"]) == ("input", "text", "40", "1")
        assert "required" in name
        pin_tag, pin = by_id["speed_limit_activate-pin"]
        assert (pin_tag, pin["type"], pin["pattern"], pin["inputmode"]) == ("input", "text", r"^\d{4}$", "numeric")
        password = by_id["set_valet_mode-password"][1]
        assert "required" not in password
        assert by_id["add_charge_schedule-days_of_week"][1]["type"] == "text"
        assert by_id["navigation_waypoints_request-waypoints"][1]["maxlength"] == "2000"
        assert by_id["navigation_request-value"][0] == "textarea"
        limit = by_id["speed_limit_set_limit-limit_mph"][1]
        assert (limit["type"], limit["min"], limit["max"], limit["step"]) == ("number", "50", "120", "any")
        assert by_id["set_charging_amps-charging_amps"][1]["step"] == "1"
        assert by_id["set_sentry_mode-on"][0] == "select"
        assert by_id["actuate_trunk-which_trunk"][0] == "select"
        # No dropdown is left with the blank choice alone.
        for index, (tag, attrs) in enumerate(shown.tags):
            if tag == "select" and attrs.get("name", "").startswith("param."):
                following = [found for found, _ in shown.tags[index + 1 : index + 3]]
                assert following == ["option", "option"], attrs["id"]

    async def test_a_chosen_command_is_shown_alone(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = await device_of(connect, tenant, "vehicle", paired=True)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car['id']}/commands/new?command=set_vehicle_name")
        ids = {attrs.get("id") for _, attrs in shown.tags}
        assert "command-set_vehicle_name" in ids
        assert "command-honk_horn" not in ids
        assert "set_vehicle_name-vehicle_name" in shown.labels

    async def test_the_energy_sites_forms(self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant) -> None:
        site = await device_of(connect, tenant, "energy_site", vehicles=[], energy_sites=1)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{site['id']}/commands/new")
        families = [attrs["label"] for tag, attrs in shown.tags if tag == "optgroup"]
        assert families == ["Energy site settings"]
        assert ("textarea", "param.tariff_content_v2") in [(tag, attrs.get("name")) for tag, attrs in shown.tags]


class TestSending:
    async def test_a_text_parameter_renames_the_car(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant, sim: httpx.AsyncClient
    ) -> None:
        car = await device_of(connect, tenant, "vehicle", paired=True)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car['id']}/commands/new")
        response = await send(
            gateway, shown, car["id"], command="set_vehicle_name", **{"param.vehicle_name": "Red Rocket"}
        )
        command = await ended(tenant, response)
        assert (command["params"], command["status"]) == ({"vehicle_name": "Red Rocket"}, "succeeded")
        truth = (await sim.get(f"/sim/vehicles/{car['vin']}")).json()
        assert "Red Rocket" in str(truth)

    async def test_an_object_parameter_is_sent_as_json(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = await device_of(connect, tenant, "vehicle", paired=True)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car['id']}/commands/new")
        value = '{"android.intent.extra.TEXT": "1 Infinite Loop, Cupertino"}'
        response = await send(
            gateway, shown, car["id"], command="navigation_request", **{"param.value": value, "param.locale": " "}
        )
        command = await ended(tenant, response)
        # The optional fields left empty are left out; the type takes its default.
        assert command["params"] == {
            "type": "share_ext_content_raw",
            "value": {SHARE_TEXT: "1 Infinite Loop, Cupertino"},
        }
        assert command["status"] == "succeeded"

    async def test_numbers_and_choices_go_as_json_types(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = await device_of(connect, tenant, "vehicle", paired=True)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{car['id']}/commands/new")
        boombox = await ended(
            tenant, await send(gateway, shown, car["id"], command="remote_boombox", **{"param.sound": "2000"})
        )
        assert boombox["params"] == {"sound": 2000}
        cabin = await ended(
            tenant,
            await send(gateway, shown, car["id"], command="set_cabin_overheat_protection", **{"param.on": "true"}),
        )
        assert cabin["params"] == {"on": True, "fan_only": False}

    async def test_bad_json_is_refused_in_the_form_and_nothing_is_queued(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        site = await device_of(connect, tenant, "energy_site", vehicles=[], energy_sites=1)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{site['id']}/commands/new")
        typed = '{"seasons": {"all": }'
        response = await send(
            gateway, shown, site["id"], command="time_of_use_settings", **{"param.tariff_content_v2": typed}
        )
        assert response.status_code == 422
        again = Page(response.text)
        assert "tariff_content_v2 is not valid JSON: Expecting value at line 1, column 21." in again.text
        assert "command-honk_horn" not in response.text
        assert 'Write it as a JSON object, such as {"key": "value"}.' in again.text
        assert 'id="command-error"' in response.text
        assert 'aria-invalid="true"' in response.text
        assert "&#34;seasons&#34;" in response.text or "&quot;seasons&quot;" in response.text  # kept as typed
        assert (await tenant.client.get("/v1/commands")).json()["data"] == []

    @pytest.mark.parametrize(
        ("fields", "problem"),
        [
            ({"param.tariff_content_v2": '{"seasons": {}}'}, "tariff_content_v2 needs a non-empty seasons object"),
            ({"param.tariff_content_v2": "[1, 2]"}, "Input should be a valid dictionary"),
        ],
    )
    async def test_the_apis_422_is_shown_as_it_is(
        self,
        connect: Connector,
        gateway: httpx.AsyncClient,
        tenant: Tenant,
        fields: dict[str, str],
        problem: str,
    ) -> None:
        site = await device_of(connect, tenant, "energy_site", vehicles=[], energy_sites=1)
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{site['id']}/commands/new")
        response = await send(gateway, shown, site["id"], command="time_of_use_settings", **fields)
        assert response.status_code == 422
        text = Page(response.text).text
        assert "The params of time_of_use_settings are not valid." in text
        assert problem in text
        assert "(validation_error)" in text
