"""The pairing step after consent: an app that asked to send commands sends the user to add its virtual key to each
car that lacks it, before going back to the app (or to the result page); the user can check again, or skip."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from tests.gateway.conftest import APP_DOMAIN, SIM_BASE
from tests.gateway.test_connect_flow import ALL_SCOPES, EMAIL, EndUser, query_of
from tests.simulator.auth_helpers import page
from tests.simulator.factories import SimFactory

COMMANDS = ["vehicle_data", "vehicle_commands"]
APP = "https://app.example.com/tesla/done"


@pytest.fixture
def user(api: httpx.AsyncClient, gateway: httpx.AsyncClient, sim: httpx.AsyncClient) -> EndUser:
    return EndUser(api, gateway, sim)


@pytest.fixture
async def cars(factory: SimFactory) -> list[dict[str, Any]]:
    """Two cars that speak the command protocol, neither with the app's key yet."""
    account = await factory.account(EMAIL)
    return [
        await factory.vehicle(account["id"], vin="5YJ3E1EA1NF000021", display_name="Blue Thunder"),
        await factory.vehicle(account["id"], vin="5YJ3E1EA1NF000022", display_name="Red Lightning"),
    ]


def link_named(response: httpx.Response, name: str) -> str:
    """The href of the link whose text is `name`."""
    found = re.findall(r'<a [^>]*href="([^"]*)"[^>]*>\s*' + re.escape(html.escape(name)) + r"\s*<", response.text)
    assert len(found) == 1, f"{len(found)} links named {name!r}"
    return html.unescape(found[0])


async def through_consent(user: EndUser, **body: Any) -> tuple[dict[str, Any], httpx.Response]:
    created, back = await user.connect(COMMANDS, ALL_SCOPES, **body)
    assert back.status_code == 303, back.text
    assert back.headers["location"] == f"/connect/{created['id']}/pairing"
    return created, await user.gateway.get(back.headers["location"])


class TestWithRedirectUrl:
    async def test_the_step_comes_before_the_app_and_skipping_gives_the_app_its_outcome(
        self, user: EndUser, cars: list[dict[str, Any]]
    ) -> None:
        created, step = await through_consent(user, redirect_url=f"{APP}?order=7")
        assert step.status_code == 200
        shown = page(step)
        assert "Add Acme Energy's virtual key to your car" in shown.text
        for car in cars:
            assert f"{SIM_BASE}/_ak/{APP_DOMAIN}?vin={car['vin']}" in shown.links
        assert step.text.count('<svg class="qr"') == 2

        skip = link_named(step, "Skip for now")
        session = await user.session(created["id"])
        assert query_of(skip) == {
            "order": "7",
            "connect_session_id": created["id"],
            "connection_id": session["connection_id"],
            "status": "completed",
        }
        assert skip.startswith(f"{APP}?")

    async def test_once_every_car_has_the_key_it_continues_to_the_app(
        self, user: EndUser, cars: list[dict[str, Any]], factory: SimFactory, tesla_app: dict[str, Any]
    ) -> None:
        created, step = await through_consent(user, redirect_url=APP)
        assert "Continue to Acme Energy" not in page(step).text
        for car in cars:
            await factory.pair(car["vin"], tesla_app["public_key_pem"])

        checked = await user.gateway.post(f"/connect/{created['id']}/pairing")
        assert checked.status_code == 303
        assert checked.headers["location"] == f"/connect/{created['id']}/pairing?checked=done"
        after = await user.gateway.get(checked.headers["location"])
        shown = page(after)
        assert "Your cars have the key" in shown.text
        assert shown.text.count("Key added") == 2
        assert '<svg class="qr"' not in after.text
        assert link_named(after, "Continue to Acme Energy").startswith(f"{APP}?connect_session_id={created['id']}")

        # What the step learnt is the device's status for the API too.
        devices = (await user.api.get("/v1/devices", params={"type": "vehicle"})).json()["data"]
        assert {device["virtual_key"]["paired"] for device in devices} == {True}


class TestWithoutRedirectUrl:
    async def test_skipping_leads_to_the_result_page(self, user: EndUser, cars: list[dict[str, Any]]) -> None:
        created, step = await through_consent(user)
        assert link_named(step, "Skip for now") == f"/connect/{created['id']}/result"
        result = page(await user.gateway.get(f"/connect/{created['id']}/result"))
        assert "Blue Thunder and Red Lightning don't have Acme Energy's key yet" in result.text


class TestCheckingAgain:
    async def test_it_shows_which_cars_have_the_key_now(
        self, user: EndUser, cars: list[dict[str, Any]], factory: SimFactory, tesla_app: dict[str, Any]
    ) -> None:
        created, _ = await through_consent(user)
        await factory.pair(cars[0]["vin"], tesla_app["public_key_pem"])

        checked = await user.gateway.post(f"/connect/{created['id']}/pairing")
        after = await user.gateway.get(checked.headers["location"])
        shown = page(after)
        assert "Tesla doesn't list the key on Red Lightning yet" in shown.text
        assert shown.text.count("Key added") == 1
        assert after.text.count('<svg class="qr"') == 1
        assert f"{SIM_BASE}/_ak/{APP_DOMAIN}?vin={cars[1]['vin']}" in shown.links
        assert f"{SIM_BASE}/_ak/{APP_DOMAIN}?vin={cars[0]['vin']}" not in shown.links
        assert link_named(after, "Skip for now") == f"/connect/{created['id']}/result"


class TestNoStep:
    async def test_cars_that_have_the_key_go_straight_back_to_the_app(
        self, user: EndUser, factory: SimFactory, tesla_app: dict[str, Any]
    ) -> None:
        account = await factory.account(EMAIL)
        car = await factory.vehicle(account["id"])
        await factory.pair(car["vin"], tesla_app["public_key_pem"])
        _, back = await user.connect(COMMANDS, ALL_SCOPES, redirect_url=APP)
        assert back.status_code == 302
        assert back.headers["location"].startswith(f"{APP}?")

    async def test_a_session_not_completed_has_no_step(self, user: EndUser) -> None:
        created = await user.create(COMMANDS)
        for method in ("GET", "POST"):
            response = await user.gateway.request(method, f"/connect/{created['id']}/pairing")
            assert response.status_code == 303
            assert response.headers["location"] == f"/connect/{created['id']}/result"

    async def test_an_unknown_session_is_a_404_page(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/connect/cs_nope/pairing")
        assert response.status_code == 404
        assert "This link is not valid" in page(response).text
